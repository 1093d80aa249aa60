package dev.whetstone.clicks;

import java.util.List;

/** Where a clicked document sat in the shown list: the list, not the click's own record, decides. */
final class ShownPosition {
  private ShownPosition() {}

  /**
   * The 1-based position of {@code docId} in {@code shown}: {@code loggedPosition} when the shown
   * list has the document there (so a document shown twice keeps the logged slot), else its first
   * position in the list, else 0 when it was not shown.
   */
  static int of(List<String> shown, String docId, int loggedPosition) {
    if (loggedPosition >= 1 && loggedPosition <= shown.size()
        && shown.get(loggedPosition - 1).equals(docId)) {
      return loggedPosition;
    }
    return shown.indexOf(docId) + 1;
  }
}
