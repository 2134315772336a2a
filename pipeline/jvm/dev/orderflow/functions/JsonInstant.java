package dev.orderflow.functions;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.functions.ScalarFunction;

/**
 * {@code json_instant(payload, field, fallback, max_ahead_ms)}: the instant, to the millisecond,
 * in the string field {@code "field":"<ISO-8601 with offset>"} of a UTF-8 JSON payload, else
 * {@code fallback}; {@code fallback} too when the instant is more than {@code max_ahead_ms} after
 * it (the fallback being the record's Kafka timestamp: a clock no producer should be far ahead of).
 *
 * <p>Why the bound: a watermark never goes back, so one record dated 9999-12-31 would move it to
 * the end of time and make every later record late (and, for a windowed job, fire every window).
 *
 * <p>For watermarks, which need an instant per record and nothing exact: the bytes are searched
 * for the field's first occurrence, not parsed as JSON (a record this misreads is rejected or
 * read exactly by the contract anyway; it only moves the watermark).
 */
public class JsonInstant extends ScalarFunction {
  private String field;
  private byte[] key;

  public @DataTypeHint("TIMESTAMP_LTZ(3)") Instant eval(
      byte[] payload,
      String field,
      @DataTypeHint("TIMESTAMP_LTZ(3)") Instant fallback,
      Long maxAheadMs) {
    if (payload == null || field == null) {
      return fallback;
    }
    if (!field.equals(this.field)) {
      key = ("\"" + field + "\"").getBytes(StandardCharsets.UTF_8);
      this.field = field;
    }
    int position = indexOf(payload, key);
    if (position < 0) {
      return fallback;
    }
    position = skipSpaces(payload, position + key.length);
    if (position >= payload.length || payload[position] != ':') {
      return fallback;
    }
    position = skipSpaces(payload, position + 1);
    if (position >= payload.length || payload[position] != '"') {
      return fallback;
    }
    int end = position + 1;
    while (end < payload.length && payload[end] != '"') {
      end++;
    }
    if (end >= payload.length) {
      return fallback;
    }
    String value = new String(payload, position + 1, end - position - 1, StandardCharsets.UTF_8);
    Instant instant = IsoInstants.parse(value);
    if (instant == null
        || (fallback != null && maxAheadMs != null
            && instant.isAfter(fallback.plusMillis(maxAheadMs)))) {
      return fallback;
    }
    // the declared precision: a TIMESTAMP_LTZ(3) carrying microseconds would compare as one
    return instant.truncatedTo(ChronoUnit.MILLIS);
  }

  private static int indexOf(byte[] text, byte[] word) {
    outer:
    for (int start = 0; start <= text.length - word.length; start++) {
      for (int i = 0; i < word.length; i++) {
        if (text[start + i] != word[i]) {
          continue outer;
        }
      }
      return start;
    }
    return -1;
  }

  private static int skipSpaces(byte[] text, int position) {
    while (position < text.length
        && (text[position] == ' ' || text[position] == '\t' || text[position] == '\n' || text[position] == '\r')) {
      position++;
    }
    return position;
  }
}
