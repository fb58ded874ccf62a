import Foundation
import Hummingbird
import XCTest

/// What a browser does with the console, spelled out for router tests: keep the cookies it is
/// given, send the form token a page carries, post forms url-encoded.
struct ConsoleBrowser {
    typealias F = RegulatorFixture
    /// name → value, as a browser would send them back.
    var cookies: [String: String] = [:]

    var headers: HTTPFields {
        var h: HTTPFields = [:]
        if !cookies.isEmpty { h[.cookie] = cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        return h
    }

    /// Takes the response's Set-Cookie values (Max-Age=0 removes one).
    mutating func keep(_ response: TestResponse) {
        for value in response.headers[values: .setCookie] {
            let first = value.split(separator: ";")[0].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(first[0]), content = first.count > 1 ? String(first[1]) : ""
            if value.contains("Max-Age=0") || content.isEmpty { cookies[name] = nil } else { cookies[name] = content }
        }
    }

    mutating func get(_ client: some TestClientProtocol, _ uri: String) async throws -> TestResponse {
        let r = try await client.execute(uri: uri, method: .get, headers: headers)
        keep(r)
        return r
    }

    mutating func post(_ client: some TestClientProtocol, _ uri: String, _ fields: [(String, String)]) async throws -> TestResponse {
        var h = headers
        h[.contentType] = "application/x-www-form-urlencoded"
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
        let body = fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }.joined(separator: "&")
        let r = try await client.execute(uri: uri, method: .post, headers: h, body: F.buffer(Array(body.utf8)))
        keep(r)
        return r
    }

    /// Posts an upload form (`multipart/form-data`) as a browser does: the text fields, then
    /// each file with its name.
    mutating func upload(_ client: some TestClientProtocol, _ uri: String, _ fields: [(String, String)],
                         files: [(field: String, filename: String, content: [UInt8])]) async throws -> TestResponse {
        let boundary = "----console-test-\(UUID().uuidString)"
        var body: [UInt8] = []
        for (name, value) in fields {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        for file in files {
            body += Array(("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.field)\"; filename=\"\(file.filename)\"\r\n"
                           + "Content-Type: text/csv\r\n\r\n").utf8) + file.content + Array("\r\n".utf8)
        }
        body += Array("--\(boundary)--\r\n".utf8)
        var h = headers
        h[.contentType] = "multipart/form-data; boundary=\(boundary)"
        let r = try await client.execute(uri: uri, method: .post, headers: h, body: F.buffer(body))
        keep(r)
        return r
    }

    /// Asks for a draw's preview as the draws page's form does and, when the console sends the
    /// browser to the page that waits for its preparation, waits there as the page's script does
    /// until the preview is prepared (or has failed): the page the officer then sees. A refusal
    /// at once (a bad field) is returned as it came.
    mutating func previewDraw(_ client: some TestClientProtocol, _ fields: [(String, String)],
                              files: [(field: String, filename: String, content: [UInt8])], timeout: Double = 60) async throws -> TestResponse {
        let asked = try await upload(client, "/console/draws/preview", fields, files: files)
        guard asked.status == .seeOther, let location = asked.headers[.location] else { return asked }
        XCTAssertTrue(location.hasPrefix("/console/draws/preparations/"), location)
        return try await waitForPreparation(client, location, timeout: timeout)
    }

    /// Shows a draw's preparation page until it is no longer "preparing".
    mutating func waitForPreparation(_ client: some TestClientProtocol, _ location: String, timeout: Double = 60) async throws -> TestResponse {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let r = try await get(client, location)
            guard F.text(r).contains(#"id="draw-progress""#) else { return r }
            if Date() > deadline {
                XCTFail("the draw was still being prepared after \(timeout) s")
                return r
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// The form token a page carries (`<input type="hidden" name="csrf" value="…">`).
    static func formToken(_ response: TestResponse) -> String? {
        let text = F.text(response)
        guard let range = text.range(of: #"name="csrf" value=""#) else { return nil }
        return String(text[range.upperBound...].prefix { $0 != "\"" })
    }

    /// The hidden fields of the page's form `id` (`<form … id="form-…">`), in order, unescaped —
    /// what a browser sends when its button is pressed (a preview's confirm form).
    static func hiddenFields(_ response: TestResponse, form id: String) -> [(String, String)] {
        let text = F.text(response)
        guard let start = text.range(of: "id=\"\(id)\""), let end = text[start.upperBound...].range(of: "</form>") else { return [] }
        let form = text[start.upperBound..<end.lowerBound]
        let pattern = try! NSRegularExpression(pattern: #"<input type="hidden" name="([^"]*)" value="([^"]*)">"#)
        let ns = String(form) as NSString
        func unescape(_ s: String) -> String {
            s.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
                .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
                .replacingOccurrences(of: "&amp;", with: "&")
        }
        return pattern.matches(in: String(form), range: NSRange(location: 0, length: ns.length)).map {
            (unescape(ns.substring(with: $0.range(at: 1))), unescape(ns.substring(with: $0.range(at: 2))))
        }
    }

    /// Logs in through the form; fails the test unless the console sends the browser on.
    mutating func logIn(_ client: some TestClientProtocol, _ username: String,
                        password: String = "correct horse battery") async throws {
        let form = try await get(client, "/console/login")
        XCTAssertEqual(form.status, .ok, F.text(form))
        let r = try await post(client, "/console/login", [("csrf", Self.formToken(form) ?? ""), ("username", username),
                                                           ("password", password)])
        XCTAssertEqual(r.status, .seeOther, F.text(r))
        XCTAssertNotNil(cookies["sandbox_console"], "the login set the session cookie")
    }
}
