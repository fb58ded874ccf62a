import XCTest
@testable import SandboxAgent

/// Outside text printed on a terminal line (audit, status): controls become visible escapes.
final class TerminalTextTests: XCTestCase {
    func testControlsBackslashAndBidiOverridesAreEscapedAndTheRestKept() {
        XCTAssertEqual(TerminalText.escaped("成都 shop (A-1) 😀"), "成都 shop (A-1) 😀")
        XCTAssertEqual(TerminalText.escaped("a\nb\r\tc\\d"), #"a\nb\r\tc\\d"#)
        XCTAssertEqual(TerminalText.escaped("\u{1B}[2J\u{7}\u{7F}\u{9B}31m"), #"\u{1B}[2J\u{7}\u{7F}\u{9B}31m"#)
        XCTAssertEqual(TerminalText.escaped("abc\u{202E}fdp.exe"), #"abc\u{202E}fdp.exe"#)
    }
}
