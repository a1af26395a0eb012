package org.quizengine.api.question;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The import's CSV reader on the cases spreadsheets produce, and the ones they should not. */
class CsvRecordsTest {

    @Test
    void readsPlainAndQuotedFieldsWithTheLineEachRecordStartsOn() throws Exception {
        List<CsvRecords.Line> lines = CsvRecords.parse(
            "a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\n\n,last,\n");
        assertThat(lines).containsExactly(
            new CsvRecords.Line(1, List.of("a", "b", "c")),
            new CsvRecords.Line(2, List.of("x, y", "say \"hi\"", "two\nlines")),
            new CsvRecords.Line(5, List.of("", "last", "")));
    }

    @Test
    void skipsRowsOfOnlySeparatorsAsSpreadsheetsExportEmptyRows() throws Exception {
        assertThat(CsvRecords.parse("a,b\n,,\n , \nc,d\n")).containsExactly(
            new CsvRecords.Line(1, List.of("a", "b")), new CsvRecords.Line(4, List.of("c", "d")));
    }

    @Test
    void ignoresAByteOrderMarkAndAMissingFinalLineEnd() throws Exception {
        assertThat(CsvRecords.parse("\uFEFFé,\"\"")).containsExactly(new CsvRecords.Line(1, List.of("é", "")));
        assertThat(CsvRecords.parse("")).isEmpty();
    }

    @Test
    void refusesUnclosedQuotesStrayQuotesAndTextAfterAClosingQuote() {
        assertThatThrownBy(() -> CsvRecords.parse("a\n\"open,b\nc"))
            .isInstanceOfSatisfying(CsvRecords.SyntaxException.class, e -> assertThat(e.line).isEqualTo(2));
        assertThatThrownBy(() -> CsvRecords.parse("a\nb\nab\"c\""))
            .isInstanceOfSatisfying(CsvRecords.SyntaxException.class, e -> assertThat(e.line).isEqualTo(3));
        assertThatThrownBy(() -> CsvRecords.parse("\"a\"b,c"))
            .isInstanceOfSatisfying(CsvRecords.SyntaxException.class, e -> assertThat(e.line).isEqualTo(1));
    }
}
