package app.fieldbook.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.validation.constraints.Size;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ReportFieldTest {

    @Test
    void everySectionOfTheContentIsExactlyOneContentField() {
        assertThat(ReportField.content()).hasSameSizeAs(leavesOf(ReportContent.class, ""));
        ReportContent content = ReportField.contentOf(ReportFieldTest::sample);
        for (ReportField field : ReportField.content()) {
            assertThat(field.valueIn(content)).as(field.wireName()).isEqualTo(sample(field));
        }
    }

    @Test
    void everyFieldReadsItsOwnPartOfAReport() {
        Report report = new Report(UUID.randomUUID(), UUID.randomUUID(), LocalDate.of(2026, 3, 2), UUID.randomUUID(),
                ReportStatus.RETURNED, ReportField.contentOf(ReportFieldTest::sample), "Add the crew", null, null, null,
                2, null, null, null);
        assertThat(ReportField.SITE_ID.valueIn(report)).isEqualTo(report.siteId());
        assertThat(ReportField.DATE.valueIn(report)).isEqualTo(report.date());
        assertThat(ReportField.AUTHOR_ID.valueIn(report)).isEqualTo(report.authorId());
        assertThat(ReportField.STATUS.valueIn(report)).isEqualTo(ReportStatus.RETURNED);
        assertThat(ReportField.RETURN_COMMENT.valueIn(report)).isEqualTo("Add the crew");
        for (ReportField field : ReportField.content()) {
            assertThat(field.valueIn(report)).as(field.wireName()).isEqualTo(sample(field));
        }
    }

    @Test
    void eachFieldHasANameOfItsOwnThatFindsIt() {
        for (ReportField field : ReportField.values()) {
            assertThat(ReportField.named(field.wireName())).contains(field);
        }
        assertThat(ReportField.named("weather")).isEmpty();
    }

    @Test
    void theContentFieldsAreNamedAfterTheSectionsTheyRead() {
        assertThat(ReportField.contentNames()).containsExactlyElementsOf(leavesOf(ReportContent.class, ""));
    }

    @Test
    void theMostCharactersOfAContentFieldAreThoseItsRecordAccepts() throws ReflectiveOperationException {
        for (ReportField field : ReportField.content()) {
            if (field.kind() == ReportField.Kind.TEXT || field.kind() == ReportField.Kind.CREW) {
                String[] path = field.wireName().split("\\.");
                Class<?> owner = path.length == 1 ? ReportContent.class : Weather.class;
                Size size = owner.getDeclaredField(path[path.length - 1]).getAnnotation(Size.class);
                assertThat(size).as(field.wireName()).isNotNull();
                assertThat(size.max()).as(field.wireName()).isEqualTo(field.maxLength());
            }
        }
        assertThat(ReturnReport.class.getDeclaredField("comment").getAnnotation(Size.class).max())
                .isEqualTo(ReportField.RETURN_COMMENT.maxLength());
    }

    @Test
    void anOperationCarriesEveryFieldButTheAuthorAndAnUpdateNoneThatCreationFixed() {
        assertThat(Arrays.stream(ReportField.values()).filter(field -> !field.isSynced()))
                .containsExactly(ReportField.AUTHOR_ID);
        assertThat(Arrays.stream(ReportField.values()).filter(field -> field.isSynced() && !field.isUpdatable()))
                .containsExactly(ReportField.SITE_ID, ReportField.DATE);
    }

    /** The names of the record's components, nested records' ones as {@code outer.inner}. */
    private static List<String> leavesOf(Class<?> record, String prefix) {
        List<String> leaves = new ArrayList<>();
        for (RecordComponent component : record.getRecordComponents()) {
            if (component.getType().isRecord()) {
                leaves.addAll(leavesOf(component.getType(), prefix + component.getName() + "."));
            } else {
                leaves.add(prefix + component.getName());
            }
        }
        return leaves;
    }

    /** A value of the field's kind that no other field gets. */
    private static Object sample(ReportField field) {
        return switch (field.kind()) {
            case TEXT -> "the " + field.label();
            case NUMBER -> new BigDecimal(field.ordinal() + ".5");
            case CREW -> List.of(new CrewRow("Concrete", "Beton Nord", 6, new BigDecimal("48")));
            case ID, DATE, STATUS -> throw new IllegalArgumentException(field + " is not content");
        };
    }
}
