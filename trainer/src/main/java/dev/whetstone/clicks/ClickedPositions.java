package dev.whetstone.clicks;

/** Which positions of an impression were clicked; checks each click against the shown list. */
final class ClickedPositions {
  private ClickedPositions() {}

  /** {@code result[r - 1]} is true when the document at position r was clicked. */
  static boolean[] of(Impression impression) {
    boolean[] clicked = new boolean[impression.shown().size()];
    for (Impression.Click click : impression.clicks()) {
      clicked[checkedIndex(impression, click)] = true;
    }
    return clicked;
  }

  /** The 0-based index of a click in the shown list; fails if the log contradicts itself. */
  static int checkedIndex(Impression impression, Impression.Click click) {
    int index = click.position() - 1;
    if (index >= impression.shown().size()) {
      throw new IllegalArgumentException("impression " + impression.queryId()
          + ": click at position " + click.position() + " but only "
          + impression.shown().size() + " documents were shown");
    }
    if (!impression.shown().get(index).equals(click.docId())) {
      throw new IllegalArgumentException("impression " + impression.queryId() + ": click on "
          + click.docId() + " at position " + click.position() + " where "
          + impression.shown().get(index) + " was shown");
    }
    return index;
  }
}
