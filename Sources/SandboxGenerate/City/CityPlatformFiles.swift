/// One platform's four exports of the day while they are written. A class, because the city
/// writes to every platform's files at once and noncopyable writers cannot sit in an array.
final class CityPlatformFiles {
    let platformID: String
    var merchants: CSVFileWriter
    var licences: CSVFileWriter
    var registry: CSVFileWriter
    var events: CSVFileWriter
    var storefronts = 0, licenceRows = 0, registryRows = 0, eventRows = 0

    init(platformID: String, directory: String, name: (String) -> String) throws(GeneratorError) {
        self.platformID = platformID
        merchants = try CSVFileWriter(directory: directory, name: name("merchants"), lineEnding: .lf, transcode: nil)
        licences = try CSVFileWriter(directory: directory, name: name("licences"), lineEnding: .lf, transcode: nil)
        registry = try CSVFileWriter(directory: directory, name: name("registry"), lineEnding: .lf, transcode: nil)
        events = try CSVFileWriter(directory: directory, name: name("events"), lineEnding: .lf, transcode: nil)
    }

    /// Renames the four into place; what the platform exported.
    func finish() throws(GeneratorError) -> GeneratedCity.Platform {
        _ = try merchants.finish()
        _ = try licences.finish()
        _ = try registry.finish()
        _ = try events.finish()
        return GeneratedCity.Platform(platformID: platformID, merchantsPath: merchants.path, licencesPath: licences.path,
                                      registryPath: registry.path, eventsPath: events.path, storefronts: storefronts,
                                      licenceRows: licenceRows, registryRows: registryRows, eventRows: eventRows)
    }
}
