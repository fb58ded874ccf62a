#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Converts text between two encodings with the C library's `iconv`, chunk by chunk.
///
/// Used in both directions: the readers decode GB18030 to UTF-8, the test-data generator
/// encodes UTF-8 to GB18030 (`try Transcoder.encode("中文", as: "GB18030")`).
public final class Transcoder {
    /// Why a conversion could not be done.
    public enum Failure: Error, Equatable, Sendable, CustomStringConvertible {
        /// This C library cannot convert between these encodings.
        case unsupported(from: String, to: String)
        /// The input holds bytes that are not valid text in the source encoding (byte offset).
        case invalidSequence(at: Int)
        /// The input ends in the middle of a multibyte character (byte offset where it starts).
        case incompleteSequence(at: Int)

        public var description: String {
            switch self {
            case .unsupported(let from, let to): "iconv cannot convert \(from) to \(to)"
            case .invalidSequence(let at): "invalid byte sequence at byte \(at)"
            case .incompleteSequence(let at): "incomplete multibyte character at byte \(at)"
            }
        }
    }

    /// Why one `convert(_:into:)` step stopped.
    public enum Stop: Sendable, Equatable {
        /// All input was converted.
        case done
        /// The output is full; call again with the rest of the input.
        case outputFull
        /// The input ends inside a multibyte character; keep the tail and add more input.
        case incompleteInput
        /// The next input byte starts an invalid sequence (or one the target cannot represent).
        case invalidInput
    }

    /// The result of one conversion step.
    public struct Step: Sendable, Equatable {
        public var consumed: Int
        public var produced: Int
        public var stop: Stop
    }

    public let from: String
    public let to: String
    private let cd: iconv_t

    public init(from: String, to: String) throws(Failure) {
        guard let cd = iconv_open(to, from), cd != iconv_t(bitPattern: -1) else {
            throw .unsupported(from: from, to: to)
        }
        self.cd = cd
        self.from = from
        self.to = to
    }

    deinit { iconv_close(cd) }

    /// Converts as much of `input` as fits into `output`; never throws, the caller decides what
    /// an invalid or incomplete sequence means.
    public func convert(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Step {
        guard let outBase = output.baseAddress, output.count > 0 else {
            return Step(consumed: 0, produced: 0, stop: input.isEmpty ? .done : .outputFull)
        }
        guard let inBase = input.baseAddress, input.count > 0 else {
            return Step(consumed: 0, produced: 0, stop: .done)
        }
        var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutablePointer(
            mutating: inBase.assumingMemoryBound(to: CChar.self))
        var inLeft = input.count
        var outPtr: UnsafeMutablePointer<CChar>? = outBase.assumingMemoryBound(to: CChar.self)
        var outLeft = output.count
        let r = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
        let step = { (stop: Stop) in
            Step(consumed: input.count - inLeft, produced: output.count - outLeft, stop: stop)
        }
        if r != -1 { return step(.done) }
        switch errno {
        case E2BIG: return step(.outputFull)
        case EINVAL: return step(.incompleteInput)
        default: return step(.invalidInput)  // EILSEQ
        }
    }

    /// Forgets any shift state, for a fresh text.
    public func reset() { iconv(cd, nil, nil, nil, nil) }

    /// Converts a whole text at once.
    public func convert(_ bytes: [UInt8]) throws(Failure) -> [UInt8] {
        reset()
        var out = [UInt8](repeating: 0, count: bytes.count * 2 + 16)
        var produced = 0
        var consumed = 0
        while true {
            let step = bytes.withUnsafeBytes { inBuf in
                out.withUnsafeMutableBytes { outBuf in
                    convert(UnsafeRawBufferPointer(rebasing: inBuf[consumed...]),
                            into: UnsafeMutableRawBufferPointer(rebasing: outBuf[produced...]))
                }
            }
            consumed += step.consumed
            produced += step.produced
            switch step.stop {
            case .done:
                out.removeSubrange(produced...)
                return out
            case .outputFull: out.append(contentsOf: repeatElement(0, count: out.count))
            case .incompleteInput: throw .incompleteSequence(at: consumed)
            case .invalidInput: throw .invalidSequence(at: consumed)
            }
        }
    }

    /// Encodes a Swift string in `encoding` (an iconv name such as "GB18030").
    public static func encode(_ text: String, as encoding: String) throws(Failure) -> [UInt8] {
        try Transcoder(from: "UTF-8", to: encoding).convert(Array(text.utf8))
    }

    /// Decodes bytes in `encoding` to a Swift string.
    public static func decode(_ bytes: [UInt8], from encoding: String) throws(Failure) -> String {
        String(decoding: try Transcoder(from: encoding, to: "UTF-8").convert(bytes), as: UTF8.self)
    }
}
