import Foundation

/// A part of a pass's load made on a thread of its own while the loader's thread reads the
/// merchants (docs/policy.md §13.1: two cores): the events (`EventScan`) and the registry
/// (`RegistryScan`), each on its own read-only connection. `wait()` returns what `make` made, or
/// throws what it threw; call it once.
///
/// `@unchecked Sendable`: `result` is written once, by the thread, before the semaphore that
/// `wait()` waits on, and read (and let go) only after it.
final class SideLoad<Value>: @unchecked Sendable {
    private var result: Result<Value, Error>?
    private let done = DispatchSemaphore(value: 0)

    /// Starts `make` on a thread named `name`.
    init(_ name: String, _ make: @escaping @Sendable () throws -> Value) {
        let thread = Thread { [self] in
            result = Result { try make() }
            done.signal()
        }
        thread.name = name
        thread.start()
    }

    /// What `make` made, handed over once: the load keeps none of it after the caller lets it go
    /// (the registry's table of 446,000 codes, about 20 MB, is freed once joined, not when the
    /// load ends).
    func wait() throws -> Value {
        done.wait()
        defer { result = nil }
        return try result!.get()
    }
}
