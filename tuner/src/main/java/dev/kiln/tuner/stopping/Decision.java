package dev.kiln.tuner.stopping;

/** What to do with a running trial after its latest report. */
public enum Decision {
  CONTINUE,
  STOP
}
