package dev.orderflow.functions;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.data.ArrayData;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.functions.ScalarFunction;

/**
 * {@code match_groups(payload, pattern, max_bytes)}: the capture groups of {@code pattern} when
 * the UTF-8 {@code payload} is at most {@code max_bytes} long and the pattern matches the whole of
 * it, else NULL. Only ASCII patterns: see below.
 *
 * <p>Knows nothing of orders: the job passes the pattern and the size limit (producer/canonical.py
 * and the contract). The size is checked first, as the contract checks it, so a payload the
 * contract rejects as oversized never reaches the regex. One pass over the payload yields every
 * value, where Flink SQL would evaluate a regex per condition and split the text once per column.
 * The payload is read as Latin-1, a plain copy of its bytes: for an ASCII pattern (no {@code .},
 * no negated classes) a match means every byte it covers is ASCII, where UTF-8 and Latin-1 agree,
 * and any other byte (UTF-8 or not) fails it. Each group is returned as a view of the payload's
 * bytes, without decoding or encoding.
 *
 * <p>The pattern must be bounded (no unbounded repetition of a group): Java's engine recurses per
 * repeat of a group, and an unbounded one let a few KB of input overflow the stack.
 */
public class MatchGroups extends ScalarFunction {
  private StringData patternText;
  private Pattern pattern;

  public @DataTypeHint(value = "ARRAY<STRING>", bridgedTo = ArrayData.class) ArrayData eval(
      byte[] payload,
      @DataTypeHint(value = "STRING", bridgedTo = StringData.class) StringData patternText,
      Integer maxBytes) {
    if (payload == null || patternText == null || maxBytes == null || payload.length > maxBytes) {
      return null;
    }
    if (patternText != this.patternText && !patternText.equals(this.patternText)) {
      pattern = Pattern.compile(patternText.toString());
      this.patternText = patternText;
    }
    Matcher matcher = pattern.matcher(new String(payload, StandardCharsets.ISO_8859_1));
    if (!matcher.matches()) {
      return null;
    }
    StringData[] groups = new StringData[matcher.groupCount()];
    for (int group = 1; group <= groups.length; group++) {
      int start = matcher.start(group);
      groups[group - 1] =
          start < 0 ? null : StringData.fromBytes(payload, start, matcher.end(group) - start);
    }
    return new GenericArrayData(groups);
  }
}
