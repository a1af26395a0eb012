package org.quizengine.api.question;

import java.util.ArrayList;
import java.util.List;

/**
 * A small RFC 4180 CSV reader for question imports: comma-separated fields, a field in double
 * quotes may hold commas, line breaks and doubled quotes ({@code ""}); lines end with LF or CRLF.
 * Each record remembers the line it starts on, so errors name the line a spreadsheet user sees.
 * Blank lines are skipped; a leading UTF-8 byte-order mark is ignored.
 */
final class CsvRecords {
    private CsvRecords() {
    }

    /** A record and the 1-based line it starts on. */
    record Line(int number, List<String> fields) {
        Line {
            fields = List.copyOf(fields);
        }
    }

    /** The text cannot be read as CSV at {@code line}. */
    static final class SyntaxException extends Exception {
        final int line;

        SyntaxException(int line, String message) {
            super(message);
            this.line = line;
        }
    }

    static List<Line> parse(String text) throws SyntaxException {
        List<Line> records = new ArrayList<>();
        int i = text.startsWith("\uFEFF") ? 1 : 0;
        int line = 1;
        while (i < text.length()) {
            int start = line;
            List<String> fields = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean endOfRecord = false;
            while (!endOfRecord) {
                if (i < text.length() && text.charAt(i) == '"') {
                    // A quoted field runs to the next quote that is not doubled.
                    i++;
                    while (true) {
                        if (i >= text.length()) {
                            throw new SyntaxException(start, "A quoted field is not closed.");
                        }
                        char c = text.charAt(i++);
                        if (c == '"') {
                            if (i < text.length() && text.charAt(i) == '"') {
                                field.append('"');
                                i++;
                                continue;
                            }
                            break;
                        }
                        if (c == '\n') {
                            line++;
                        }
                        field.append(c);
                    }
                    if (i < text.length() && text.charAt(i) != ',' && text.charAt(i) != '\n' && text.charAt(i) != '\r') {
                        throw new SyntaxException(line, "A quoted field must be followed by a comma or the end of the line.");
                    }
                } else {
                    while (i < text.length() && text.charAt(i) != ',' && text.charAt(i) != '\n' && text.charAt(i) != '\r') {
                        char c = text.charAt(i++);
                        if (c == '"') {
                            throw new SyntaxException(line, "A field with a quote in it must be quoted as a whole.");
                        }
                        field.append(c);
                    }
                }
                fields.add(field.toString());
                field.setLength(0);
                if (i >= text.length()) {
                    endOfRecord = true;
                } else if (text.charAt(i) == ',') {
                    i++;
                } else {
                    // CRLF or LF (a lone CR is taken as a line end too).
                    if (text.charAt(i) == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                        i++;
                    }
                    i++;
                    line++;
                    endOfRecord = true;
                }
            }
            // An empty line, or one of only separators (",,,,", as spreadsheets export empty rows).
            boolean blank = fields.stream().allMatch(String::isBlank);
            if (!blank) {
                records.add(new Line(start, fields));
            }
        }
        return records;
    }
}
