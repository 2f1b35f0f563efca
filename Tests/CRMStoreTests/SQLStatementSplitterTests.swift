import Testing

@testable import CRMStore

@Suite("SQL statement splitter")
struct SQLStatementSplitterTests {
    @Test func splitsOnSemicolonsOutsideQuotesAndComments() {
        let sql = """
            -- a comment; with a semicolon
            CREATE TABLE a (x text DEFAULT 'a;b', "weird;name" int);
            /* block; comment */ INSERT INTO a VALUES ('it''s; fine', 1);
            SELECT $$ dollar; quoted $$, $tag$ more; $tag$;
            """
        let statements = SQLStatementSplitter.split(sql)
        #expect(statements.count == 3)
        #expect(statements[0] == "CREATE TABLE a (x text DEFAULT 'a;b', \"weird;name\" int)")
        #expect(statements[1] == "INSERT INTO a VALUES ('it''s; fine', 1)")
        #expect(statements[2] == "SELECT $$ dollar; quoted $$, $tag$ more; $tag$")
    }

    @Test func keepsTriggerBodiesWhole() {
        let sql = """
            CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE a SET x = 1; UPDATE a SET x = 2; END;
            SELECT 1;
            """
        let statements = SQLStatementSplitter.split(sql)
        #expect(statements.count == 2)
        #expect(statements[0].hasSuffix("END"))
    }

    @Test func ignoresEmptyStatementsAndTrailingText() {
        #expect(SQLStatementSplitter.split(" ; ;\n-- only a comment\n").isEmpty)
        #expect(SQLStatementSplitter.split("SELECT 1") == ["SELECT 1"])
        #expect(SQLStatementSplitter.split("SELECT $1, 2;") == ["SELECT $1, 2"])
    }
}
