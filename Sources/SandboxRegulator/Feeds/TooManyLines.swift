/// A body with more lines than a batch may have (`RegulatorLimits.maxLines`): found while reading,
/// so nothing of it is applied.
struct TooManyLines: Error, Equatable {
    let limit: Int
}
