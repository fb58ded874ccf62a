import Foundation
import Hummingbird
import SandboxCore

/// A console list as CSV (RFC 4180), with the filters of the page it came from: UTF-8 with a BOM
/// so Excel on a bureau's Windows desktop reads the Chinese right, and every cell that a
/// spreadsheet would take for a formula (= + - @, tab, CR) prefixed with an apostrophe — shop names
/// come from merchants, and a cell `=HYPERLINK(…)` must stay text (CSV injection): the core's
/// `CSVField.spreadsheetText`, as the agent's `report --csv`.
struct CSVExport {
    var headers: [String]
    var rows: [[String]]

    var text: String {
        var out = "\u{FEFF}"
        for row in [headers] + rows { out += row.map(CSVField.spreadsheetText).joined(separator: ",") + "\r\n" }
        return out
    }

    /// The download: `name` is the file's name without `.csv` (ASCII: it goes into a header).
    func response(name: String) -> Response {
        var buffer = ByteBuffer()
        buffer.writeString(text)
        return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8",
                                               .contentDisposition: "attachment; filename=\"\(name).csv\""],
                        body: .init(byteBuffer: buffer))
    }
}
