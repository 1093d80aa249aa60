package dev.whetstone.clicks;

/**
 * What a log says about one document of one query text.
 *
 * @param clicks its counted clicks
 * @param examinations its expected examinations: the summed propensities of the ranks it was shown
 *     at
 */
public record ClickEvidence(int clicks, double examinations) {}
