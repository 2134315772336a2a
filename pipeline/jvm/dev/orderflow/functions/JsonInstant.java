package dev.orderflow.functions;

import java.time.Instant;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.functions.ScalarFunction;

/**
 * {@code json_instant(json, field, fallback)}: the instant in the top-level-looking string field
 * {@code "field":"<ISO-8601 with offset>"} of a JSON text, else {@code fallback}.
 *
 * <p>For watermarks, which need an instant per record and nothing exact: the text is searched for
 * the field, not parsed as JSON (a record this misreads is rejected by the contract anyway; it
 * only moves the watermark). Offsets may be {@code Z}, {@code +02:00} or {@code +0200}.
 */
public class JsonInstant extends ScalarFunction {
  public @DataTypeHint("TIMESTAMP_LTZ(3)") Instant eval(
      String json, String field, @DataTypeHint("TIMESTAMP_LTZ(3)") Instant fallback) {
    if (json == null || field == null) {
      return fallback;
    }
    String key = "\"" + field + "\"";
    int at = json.indexOf(key);
    if (at < 0) {
      return fallback;
    }
    int position = skipSpaces(json, at + key.length());
    if (position >= json.length() || json.charAt(position) != ':') {
      return fallback;
    }
    position = skipSpaces(json, position + 1);
    if (position >= json.length() || json.charAt(position) != '"') {
      return fallback;
    }
    int end = json.indexOf('"', position + 1);
    if (end < 0) {
      return fallback;
    }
    Instant instant = IsoInstants.parse(json.substring(position + 1, end));
    return instant == null ? fallback : instant;
  }

  private static int skipSpaces(String text, int position) {
    while (position < text.length() && Character.isWhitespace(text.charAt(position))) {
      position++;
    }
    return position;
  }
}
