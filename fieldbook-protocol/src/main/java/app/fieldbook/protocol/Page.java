package app.fieldbook.protocol;

import java.util.List;

/**
 * One page of a list answer.
 *
 * @param items the items of this page, in the list's order
 * @param page zero-based page number
 * @param size the page size that was asked for
 * @param total number of items on all pages
 */
public record Page<T>(List<T> items, int page, int size, long total) {

    public Page {
        items = List.copyOf(items);
    }
}
