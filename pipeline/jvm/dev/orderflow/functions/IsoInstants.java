package dev.orderflow.functions;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;

/** ISO-8601 date-times with an offset, as Order Created v1 writes event_time, to instants. */
final class IsoInstants {
  private static final DateTimeFormatter WITH_OFFSET =
      new DateTimeFormatterBuilder()
          .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
          .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
          .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
          .toFormatter();

  private IsoInstants() {}

  /** The instant of {@code text}, or null when it is not an ISO-8601 date-time with an offset. */
  static Instant parse(String text) {
    Instant instant = parseZulu(text);
    if (instant != null) {
      return instant;
    }
    try {
      return WITH_OFFSET.parse(text, Instant::from);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /**
   * {@code YYYY-MM-DDTHH:MM:SS[.fff|.ffffff]Z}, the producer's own shape, read by position: a
   * DateTimeFormatter costs more than the rest of the record's fast lane together.
   */
  private static Instant parseZulu(String text) {
    int length = text.length();
    if ((length != 20 && length != 24 && length != 27)
        || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
        || text.charAt(13) != ':' || text.charAt(16) != ':' || text.charAt(length - 1) != 'Z'
        || (length > 20 && text.charAt(19) != '.')) {
      return null;
    }
    int year = digits(text, 0, 4);
    int month = digits(text, 5, 2);
    int day = digits(text, 8, 2);
    int hour = digits(text, 11, 2);
    int minute = digits(text, 14, 2);
    int second = digits(text, 17, 2);
    int fraction = length > 20 ? digits(text, 20, length - 21) : 0;
    if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23
        || minute < 0 || minute > 59 || second < 0 || second > 59 || fraction < 0
        || day > LocalDate.of(year, month, 1).lengthOfMonth()) {
      return null;
    }
    long nanos = length == 24 ? fraction * 1_000_000L : fraction * 1_000L;
    long epochDay = LocalDate.of(year, month, day).toEpochDay();
    return Instant.ofEpochSecond(epochDay * 86_400L + hour * 3_600L + minute * 60L + second, nanos);
  }

  /** The number written by {@code count} ASCII digits at {@code from}; -1 if one is not a digit. */
  private static int digits(String text, int from, int count) {
    int value = 0;
    for (int i = from; i < from + count; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }
}
