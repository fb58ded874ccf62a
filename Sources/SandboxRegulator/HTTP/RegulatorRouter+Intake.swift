import Crypto
import Hummingbird
import SandboxCore
import SandboxFormats
import SandboxPack

extension RegulatorRouter {
    /// A feed or receipts body taken in within the intake budget (issue 17 item 5): its share is
    /// taken before its bytes are held — the declared length at once, so a batch that does not fit
    /// is refused before it is sent — and grows with what `read` keeps. The signature check, the
    /// inflating and `read` run on an intake thread, never on the threads that answer `/healthz`.
    ///
    /// Returns what `read` made of the body, the SHA-256 of the body as read (decompressed), and
    /// the share, which the caller holds until it has stored the result.
    func takeIn<T: Sendable>(_ request: Request, platform: PlatformCredentials, gzipRequired: Bool,
                             read: @escaping @Sendable (InflatedBody, IntakeReservation) throws -> T) async throws
        -> (value: T, digest: String, share: IntakeReservation) {
        let declared = request.headers[.contentLength].flatMap { Int($0) }
        if let declared, declared > limits.maxBodyBytes { throw Self.bodyTooLarge(limits.maxBodyBytes) }
        let share = IntakeReservation(budget: budget)
        try admit(share, BodyLines.workingSet(maxLineBytes: limits.maxLineBytes) + InflatedBody.workingSet + (declared ?? 0))
        var raw: [UInt8] = []
        raw.reserveCapacity(declared ?? 0)
        var charged = declared ?? 0
        for try await chunk in request.body {
            guard chunk.readableBytes <= limits.maxBodyBytes - raw.count else { throw Self.bodyTooLarge(limits.maxBodyBytes) }
            raw.append(contentsOf: chunk.readableBytesView)
            if raw.capacity > charged {
                try admit(share, raw.capacity - charged)
                charged = raw.capacity
            }
        }
        let body = raw
        // A refused request gives its share back before its answer goes out, not whenever the
        // intake thread lets go of the closure.
        do {
            let (value, digest) = try await parse(body, request, platform: platform, gzipRequired: gzipRequired, share: share, read: read)
            return (value, digest, share)
        } catch {
            share.release()
            throw error
        }
    }

    /// On an intake thread: the signature over `body`, then `read` over it inflated; the digest.
    private func parse<T: Sendable>(_ body: [UInt8], _ request: Request, platform: PlatformCredentials, gzipRequired: Bool,
                                    share: IntakeReservation,
                                    read: @escaping @Sendable (InflatedBody, IntakeReservation) throws -> T) async throws -> (T, String) {
        try await workers.run { () throws -> (T, String) in
            try authenticator.verifySignature(request, body: body, platform: platform)
            let gzip = try Self.isGzip(request, required: gzipRequired)
            var hasher = SHA256()
            let inflated: InflatedBody
            do throws(UnreadableFile) {
                inflated = try InflatedBody(body, gzip: gzip, limit: limits.maxDecompressedBytes) { hasher.update(bufferPointer: $0) }
            } catch {
                throw APIError(.badRequest, "body is not valid gzip: \(error.reason)")
            }
            do {
                let value = try read(inflated, share)
                return (value, Hex.encode(hasher.finalize()))
            } catch let error as IntakeRefusal {
                throw Self.refusal(error, retryAfter: limits.retryAfterSeconds)
            } catch let error as TooManyLines {
                throw APIError(.contentTooLarge, "body has more than \(error.limit) lines; send at most \(error.limit) items "
                               + "per batch (the agent's regulator.batch_max_records)")
            } catch let error as UnreadableFile {
                if inflated.exceededLimit { throw APIError(.contentTooLarge, error.reason) }
                if inflated.sourceFailed { throw APIError(.badRequest, "body is not valid gzip: \(error.reason)") }
                throw APIError(.badRequest, "body cannot be read: \(error)")
            }
        }
    }

    private func admit(_ share: IntakeReservation, _ bytes: Int) throws {
        do { try share.grow(by: bytes) } catch { throw Self.refusal(error, retryAfter: limits.retryAfterSeconds) }
    }

    static func refusal(_ refusal: IntakeRefusal, retryAfter: Int) -> any Error {
        switch refusal {
        case .busy:
            return IntakeBusy(retryAfterSeconds: retryAfter)
        case .tooLarge(let capacity):
            return APIError(.contentTooLarge, "this batch needs more memory than the regulator takes in at once "
                            + "(--max-inflight-bytes \(capacity)); send smaller batches (the agent's regulator.batch_max_records)")
        }
    }

    static func bodyTooLarge(_ limit: Int) -> APIError {
        APIError(.contentTooLarge, "body larger than \(limit) bytes; send smaller batches")
    }

    /// Whether the body is gzip, by its declared encoding (the bytes are not sniffed, as the API
    /// says); `required` refuses a body that is not.
    static func isGzip(_ request: Request, required: Bool) throws -> Bool {
        let declared = request.headers[.contentEncoding]?.lowercased() ?? ""
        switch declared {
        case "gzip":
            return true
        case "", "identity":
            if required { throw APIError(.badRequest, "body must be gzip-compressed JSON Lines sent with `Content-Encoding: gzip`") }
            return false
        default:
            throw APIError(.badRequest, "Content-Encoding \(declared) is not supported: send gzip" + (required ? "" : " or identity"))
        }
    }
}
