package dev.kiln.controlplane.core;

import dev.kiln.api.spec.MetricRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads metrics out of rank 0's log for containers that don't call ReportMetrics: each rule's regex
 * (group 1 is the value) is applied line by line; the k-th value of every rule belongs to epoch k,
 * or to the k-th value of a rule named {@code epoch} when the job has one.
 */
public final class LogMetrics {
  private LogMetrics() {}

  public static List<MetricsBook.EpochValues> parse(List<MetricRule> rules, String log) {
    if (rules == null || rules.isEmpty() || log == null || log.isEmpty()) {
      return List.of();
    }
    Map<String, Pattern> patterns = new LinkedHashMap<>();
    for (MetricRule rule : rules) {
      patterns.put(rule.name, Pattern.compile(rule.regex));
    }
    Map<String, List<Double>> seen = new LinkedHashMap<>();
    patterns.keySet().forEach(name -> seen.put(name, new ArrayList<>()));
    for (String line : log.split("\n")) {
      for (Map.Entry<String, Pattern> p : patterns.entrySet()) {
        Matcher m = p.getValue().matcher(line);
        while (m.find()) {
          Double value = number(m);
          if (value != null) {
            seen.get(p.getKey()).add(value);
          }
        }
      }
    }
    List<Double> epochs = seen.remove(MetricsBook.EPOCH);
    int count = seen.values().stream().mapToInt(List::size).max().orElse(0);
    List<MetricsBook.EpochValues> out = new ArrayList<>();
    for (int k = 0; k < count; k++) {
      Map<String, Double> values = new LinkedHashMap<>();
      for (Map.Entry<String, List<Double>> e : seen.entrySet()) {
        if (k < e.getValue().size()) {
          values.put(e.getKey(), e.getValue().get(k));
        }
      }
      int epoch = epochs != null && k < epochs.size() ? epochs.get(k).intValue() : k + 1;
      out.add(new MetricsBook.EpochValues(epoch, values));
    }
    return out;
  }

  private static Double number(Matcher m) {
    if (m.groupCount() < 1 || m.group(1) == null) {
      return null;
    }
    try {
      return Double.parseDouble(m.group(1).trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
