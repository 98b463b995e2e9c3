/**
 * Equivalence of the three page-table designs and the oracle, proven by property: a seeded,
 * edge-biased generator of operation sequences over many address spaces ({@link
 * org.ptarena.equivalence.Generators}), a delta-debugging shrinker ({@link
 * org.ptarena.equivalence.Shrinker}) whose result is written as a replayable {@code .trace}, and
 * coverage counted by behaviour class ({@link org.ptarena.equivalence.Coverage}). Our own code on
 * plain JUnit Jupiter: no jqwik (see ARCHITECTURE "Why no jqwik").
 */
package org.ptarena.equivalence;
