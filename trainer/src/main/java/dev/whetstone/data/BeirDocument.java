package dev.whetstone.data;

/** One corpus entry of a BEIR data set; {@code title} is empty when the corpus has none. */
public record BeirDocument(String id, String title, String text) {}
