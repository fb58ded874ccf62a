import Foundation
import Hummingbird

/// A submitted console form that uploads a file (`multipart/form-data`, RFC 7578), read once:
/// its text fields (the form token among them) and its files by field name. Only what the
/// console's own forms send — no nested parts, no transfer encodings.
struct ConsoleUpload: Sendable {
    /// A member list of 100,000 codes is under 2 MiB; anything larger is not one of ours.
    static let maxBytes = 4 << 20
    private(set) var fields: [String: String] = [:]
    private(set) var files: [String: [UInt8]] = [:]
    /// Every text value in the order sent (a repeated name: checkboxes).
    private(set) var pairs: [(name: String, value: String)] = []

    static func isUpload(_ request: Request) -> Bool {
        request.headers[.contentType]?.lowercased().hasPrefix("multipart/form-data") == true
    }

    init(_ request: Request) async throws {
        guard Self.isUpload(request) else {
            throw APIError(.unsupportedMediaType, "send the console's upload form as multipart/form-data (reload the page and use its form)")
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: Self.maxBytes)
        } catch {
            throw APIError(.contentTooLarge, "the upload is larger than \(Self.maxBytes / (1 << 20)) MiB; split the list")
        }
        try self.init(body: Array(body.readableBytesView), contentType: request.headers[.contentType] ?? "")
    }

    init(body: [UInt8], contentType: String) throws {
        guard let boundary = Self.parameter("boundary", in: contentType), !boundary.isEmpty else {
            throw APIError(.badRequest, "the upload names no multipart boundary")
        }
        let delimiter = Array("--\(boundary)".utf8)
        var parts: [ArraySlice<UInt8>] = []
        var start: Int?
        var i = 0
        while let found = ByteSearch.find(delimiter, in: body, from: i) {
            if let s = start { parts.append(body[s..<found]) }
            start = found + delimiter.count
            i = start!
            // "--boundary--" closes the body.
            if body.count >= i + 2, body[i] == UInt8(ascii: "-"), body[i + 1] == UInt8(ascii: "-") { break }
        }
        for var part in parts {
            // Each part is CRLF, headers, CRLF CRLF, content, CRLF (before the next delimiter).
            if part.starts(with: [13, 10]) { part = part.dropFirst(2) }
            if part.count >= 2, part.suffix(2).elementsEqual([13, 10]) { part = part.dropLast(2) }
            guard let split = ByteSearch.find([13, 10, 13, 10], in: Array(part), from: 0) else { continue }
            let bytes = Array(part)
            let headers = String(decoding: bytes[..<split], as: UTF8.self)
            let content = Array(bytes[(split + 4)...])
            guard let disposition = headers.split(separator: "\r\n").first(where: {
                $0.lowercased().hasPrefix("content-disposition:")
            }), let name = Self.parameter("name", in: String(disposition)) else { continue }
            if Self.parameter("filename", in: String(disposition)) != nil {
                if files[name] == nil { files[name] = content }
            } else {
                let value = String(decoding: content, as: UTF8.self)
                pairs.append((name, value))
                if fields[name] == nil { fields[name] = value }
            }
        }
    }

    subscript(_ name: String) -> String? { fields[name] }

    /// Every non-blank value sent under `name` (checkboxes), in the order sent.
    func values(_ name: String) -> [String] {
        pairs.filter { $0.name == name }.map { $0.value.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }

    /// A text field without its surrounding whitespace; nil when absent or blank.
    func text(_ name: String) -> String? {
        let t = fields[name]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return t.isEmpty ? nil : t
    }

    /// `name=value` or `name="value"` among a header's `;`-separated parameters.
    static func parameter(_ name: String, in header: String) -> String? {
        for piece in header.split(separator: ";").dropFirst() {
            let pair = piece.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == name else { continue }
            var value = pair[1].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
            return value
        }
        return nil
    }
}
