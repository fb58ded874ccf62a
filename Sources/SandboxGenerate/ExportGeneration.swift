import SandboxAgent
import SandboxCore
import SandboxFormats

/// `sandbox-agent generate`: the generator wired to the real GB18030 transcoder.
public enum ExportGeneration {
    /// Writes merchants, licences and registry files into `folder`; returns their paths.
    /// `progress`: shows the merchants written, bytes and time left on a terminal.
    public static func write(merchants: Int, seed: UInt64, platformID: String, today: CivilDate, folder: String,
                             gb18030: Bool, chineseHeaders: Bool, rowOrder: RowOrder = .natural,
                             progress: ProgressDisplay? = nil) throws -> [String] {
        let generator = ExportGenerator(seed: seed, merchantCount: merchants, platformID: platformID, today: today)
        let transcoder = gb18030 ? try Transcoder(from: "UTF-8", to: "GB18030") : nil
        // The folder's own name: the whole path would crowd out the figures on a narrow terminal.
        progress?.start(ProgressLine(label: "generating " + FileSystem.lastComponent(of: folder), rowsTotal: merchants,
                                     rowNoun: "merchants"))
        defer { progress?.finish() }
        let files = try generator.write(
            to: folder, encoding: gb18030 ? .gb18030 : .utf8, headers: chineseHeaders ? .chinese : .english,
            rowOrder: rowOrder,
            transcode: transcoder.map { t in
                { utf8 in
                    // The generator produces our own valid UTF-8; a failure here is a bug, not input.
                    do { return try t.convert(utf8) } catch { fatalError("GB18030 cannot encode generated text: \(error)") }
                }
            },
            progress: progress.map { display in { display.update(rows: $0, bytes: $1) } })
        return [files.registryPath, files.licencesPath, files.merchantsPath]
    }
}
