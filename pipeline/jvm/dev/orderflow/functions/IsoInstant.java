package dev.orderflow.functions;

import java.time.Instant;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.functions.ScalarFunction;

/** {@code iso_instant(text)}: an ISO-8601 date-time with an offset as TIMESTAMP_LTZ(6), else NULL. */
public class IsoInstant extends ScalarFunction {
  public @DataTypeHint("TIMESTAMP_LTZ(6)") Instant eval(String text) {
    return text == null ? null : IsoInstants.parse(text);
  }
}
