package dev.orderflow.functions;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.table.functions.FunctionContext;
import org.apache.flink.table.functions.ScalarFunction;

/**
 * {@code tally(late, seen)}: sees every valid record once, after the running count of its
 * event_id; counts {@code orderflow.orders_valid}, {@code orders_duplicate} and {@code
 * orders_late} (Flink metrics: UI and REST) and says whether to store the record — the first
 * arrival of its event_id only.
 */
public class Tally extends ScalarFunction {
  private transient Counter valid;
  private transient Counter duplicate;
  private transient Counter late;

  @Override
  public void open(FunctionContext context) {
    MetricGroup metrics = context.getMetricGroup().addGroup("orderflow");
    valid = metrics.counter("orders_valid");
    duplicate = metrics.counter("orders_duplicate");
    late = metrics.counter("orders_late");
  }

  public boolean eval(Boolean isLate, Long seen) {
    valid.inc();
    boolean first = seen != null && seen == 1L;
    if (!first) {
      duplicate.inc();
    } else if (Boolean.TRUE.equals(isLate)) {
      late.inc();
    }
    return first;
  }

  @Override
  public boolean isDeterministic() {
    // counting is a side effect: the planner must neither drop nor repeat the call
    return false;
  }
}
