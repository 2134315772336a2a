package dev.orderflow.functions;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.functions.ScalarFunction;

/**
 * {@code match_groups(text, pattern)}: the capture groups of {@code pattern} when it matches the
 * whole of {@code text}, else NULL.
 *
 * <p>Knows nothing of orders: the job passes the pattern (producer/canonical.py builds it from the
 * contract). One pass over the text yields every value, where Flink SQL would evaluate a regex per
 * condition and split the text once per column. The pattern is compiled once per distinct text.
 */
public class MatchGroups extends ScalarFunction {
  private String patternText;
  private Pattern pattern;

  public @DataTypeHint("ARRAY<STRING>") String[] eval(String text, String patternText) {
    if (text == null || patternText == null) {
      return null;
    }
    if (!patternText.equals(this.patternText)) {
      this.pattern = Pattern.compile(patternText);
      this.patternText = patternText;
    }
    Matcher matcher = pattern.matcher(text);
    if (!matcher.matches()) {
      return null;
    }
    String[] groups = new String[matcher.groupCount()];
    for (int group = 1; group <= groups.length; group++) {
      groups[group - 1] = matcher.group(group);
    }
    return groups;
  }

  @Override
  public boolean isDeterministic() {
    // Not true, but it keeps the planner from copying the call into every expression that reads
    // one of its groups (Flink SQL has no common-subexpression reuse): the match runs once.
    return false;
  }
}
