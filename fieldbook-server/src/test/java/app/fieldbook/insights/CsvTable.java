package app.fieldbook.insights;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A CSV text read back as RFC 4180 says (quoted cells, doubled quotes, line breaks inside quotes, CRLF), the
 * way a spreadsheet splits it, so tests see the cells a person would.
 */
record CsvTable(List<String> header, List<List<String>> rows) {

    static CsvTable parse(String text) {
        List<List<String>> lines = new ArrayList<>();
        List<String> line = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                line.add(cell.toString());
                cell.setLength(0);
            } else if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                line.add(cell.toString());
                cell.setLength(0);
                lines.add(line);
                line = new ArrayList<>();
                i++;
            } else {
                cell.append(c);
            }
        }
        if (quoted || !line.isEmpty() || !cell.isEmpty()) {
            throw new AssertionError("The CSV does not end with a complete line");
        }
        return new CsvTable(lines.getFirst(), lines.subList(1, lines.size()));
    }

    /** The cell of {@code column} (by its header) in {@code row}. */
    String cell(List<String> row, String column) {
        int index = header.indexOf(column);
        if (index < 0) {
            throw new AssertionError("No column " + column + " in " + header);
        }
        return row.get(index);
    }

    /** The rows whose cells in the columns named match the values given, column and value alternating. */
    List<List<String>> where(String... columnsAndValues) {
        Predicate<List<String>> match = row -> true;
        for (int i = 0; i < columnsAndValues.length; i += 2) {
            String column = columnsAndValues[i];
            String value = columnsAndValues[i + 1];
            match = match.and(row -> cell(row, column).equals(value));
        }
        return rows.stream().filter(match).toList();
    }

    /** The one row that matches, failing if there is none or more than one. */
    List<String> single(String... columnsAndValues) {
        List<List<String>> found = where(columnsAndValues);
        if (found.size() != 1) {
            throw new AssertionError(found.size() + " rows match " + List.of(columnsAndValues));
        }
        return found.getFirst();
    }
}
