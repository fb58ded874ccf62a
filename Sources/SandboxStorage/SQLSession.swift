/// One connection to a SQL database as a store written once for two engines uses it: SQLite's
/// `Database` here, and the regulator's PostgreSQL session. Statements are prepared from SQL text
/// with `?` / `?NNN` parameters (an engine that numbers them otherwise translates), run inside
/// `transaction`, and report the rows they changed. Synchronous on purpose: a store's body runs
/// on a thread of its own (never an event loop), so its code reads top to bottom as SQL does.
public protocol SQLSession: AnyObject {
    associatedtype Prepared: SQLStatement
    /// A statement for `sql`, cached per session by its text: callers bind, step and reset.
    func prepare(_ sql: String) throws -> Prepared
    /// Runs `sql` (one or more statements, no parameters, no rows).
    func execute(_ sql: String) throws
    /// The first column of the first row of `sql`, or nil.
    func int64(_ sql: String) throws -> Int64?
    /// Rows changed by the latest INSERT, UPDATE or DELETE on this session.
    var changes: Int { get }
    /// Runs `body` in a transaction (a savepoint when nested): all of it commits or none.
    func transaction<T>(_ body: () throws -> T) throws -> T
}

/// A prepared statement: parameters bound by number from 1, rows stepped, columns read from 0.
/// Reading a column converts as SQLite does (an integer read as text gives its digits), so a
/// store reads the same way whichever engine typed the column.
public protocol SQLStatement: AnyObject {
    func bind(_ index: Int32, _ value: Int64) throws
    func bind(_ index: Int32, _ value: Int) throws
    func bind(_ index: Int32, _ value: Double) throws
    func bind(_ index: Int32, _ value: String) throws
    func bind(_ index: Int32, _ value: [UInt8]) throws
    /// A NULL whose type the engine infers from where the parameter stands.
    func bindNull(_ index: Int32) throws
    func bind(_ index: Int32, _ value: Int64?) throws
    func bind(_ index: Int32, _ value: Int?) throws
    func bind(_ index: Int32, _ value: Double?) throws
    func bind(_ index: Int32, _ value: String?) throws
    func bind(_ index: Int32, _ value: [UInt8]?) throws

    /// Runs to the next row: true when there is one to read.
    @discardableResult func step() throws -> Bool
    /// Ready to run again; bindings are kept.
    func reset()
    /// Lets go of every bound value: a statement kept in a session's cache otherwise holds its
    /// last values, megabytes for a draw's population.
    func clearBindings()

    func isNull(_ column: Int32) -> Bool
    func int64(_ column: Int32) -> Int64
    func int(_ column: Int32) -> Int
    func int64OrNil(_ column: Int32) -> Int64?
    func double(_ column: Int32) -> Double
    func string(_ column: Int32) -> String?
    func blob(_ column: Int32) -> [UInt8]
}

extension Database: SQLSession {}
extension Statement: SQLStatement {}
