import Foundation

// The entropy tables of `PolicyItemCodec`'s dictionaries (schema v17, issue 16, session 30): what
// libzstd puts before a dictionary's content when it finalizes it (`ZDICT_finalizeDictionary`)
// with the statistics of the items the dictionary serves — its magic and id, the literals'
// Huffman table and the sequences' FSE tables, computed from every 97th item of each dictionary
// in a first pass of the shipped pack over generated merchants (`scripts/bench-item-codec --tables`).
//
// Against the content alone, each item's block built its own tables (`FSE_buildCTable` was the
// compressor's largest function in a profile, on items of a few hundred bytes); with these it
// takes the dictionary's where they serve, and its own only where they do not.
// The first pass's 1,564,998 items: 3.65 → 2.60 s of CPU (medians of six), 57.4 → 50.9 MB
// (docs/benchmarks.md).
//
// Frozen like the content: an item compressed against a dictionary with these tables decodes only
// against the very same bytes. New tables go under new first bytes, never in place of these.
extension PolicyItemCodec.Dictionary {
    /// The dictionary as libzstd finalized it: its entropy tables, then its content.
    var withTablesBytes: [UInt8] {
        // Literals of this file: only an edit of them fails here, and every test that encodes.
        guard let tables = Data(base64Encoded: tablesBase64), tables.count > 8,
              tables.starts(with: [0x37, 0xa4, 0x30, 0xec]) else {
            preconditionFailure("the entropy tables of dictionary \(rawValue) are not a zstd dictionary's")
        }
        return Array(tables) + bytes
    }

    /// The dictionary's entropy tables as libzstd writes them before the content, base64.
    var tablesBase64: String {
        switch self {
        // 4836 items sampled.
        case .classItems:
            "N6Qw7AFwHF0tEMCSpg0zMAMzMAMzBNJudncabX/S2C38oRGaTaRQ6DvZttfeXrE7ZT5ERsAIIwQAAACGwypBmeYAAASgwQQB"
                + "gIQKgISIC4WCAwQCAIcCggMAAwaDA4IBAAABAIIBBgIBAbXD5OCyAwAANJNrZEjFSAAo5ZQCAAAAAAAAAAABAAAABAAAAAgA"
                + "AAA="
        // 2582 items sampled.
        case .rosterItems:
            "N6Qw7AJwHF0KEPhsB////fYlAwMEAAAAQAAA3AEAAAQAAAAAAAAAAACAKQAAAAAAAAAAAAAAAAAAgAAAAAAAAAAAAAAAAAEA"
                + "AAAAuAcAAAS2GwAAAAAAAAAAAAAAAAAAAAEAAAAEAAAACAAAAA=="
        // 843 items sampled.
        case .instructionItems:
            "N6Qw7ANwHF1JEJBiNR0ADIDvvcUCAAMAbhInzdzvG5YjXfOp+Utbl/suuUAjtav4/UAD4CzkanPvtLFDcOBCc/Y8qovHpJRJ"
                + "SpmqCioBAANQGuMEAAAGhcWjgtB4pT0ABICGw8aDyAfDBMRBAoWG4oFoHA4GwiFBAAAQAENBIJgcFEVBJA+zjYcBAERz5Xg0"
                + "KhFzMI6JACMzIAAAAAAAAAEAAAAEAAAACAAAAA=="
        // 843 items sampled.
        case .caseItems:
            "N6Qw7ARwHF1MEJBTNR0ADIDvvdcCAAMAXnp0a8fH/e/57/OcmnBW0mWHXVdYBhppo9qXC+vczrFaskMB+qbY4YUev6hWreoN"
                + "KWWSUqbKa2aqEICwQFMFAAAAh4Ri8bjArg0ABIDFyMfFQ4OBwgKBAQIDQ4NCAULBQcGgcFEQGAgAA2AAGCAGjMPkI1F+CAMA"
                + "AHQSBTOhOJgmaiKDAEhmBAAAAAAAAAEAAAAEAAAACAAAAA=="
        // 1356 items sampled.
        case .promptItems:
            "N6Qw7AVwHF0JEBDfMDMzs3cKAwAAAAAA+NAWAAAABAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
                + "gPoAAADkHQAAAAAAAAAAAAAAAAAAAAABAAAABAAAAAgAAAA="
        // 843 items sampled.
        case .caseRecords:
            "N6Qw7AZwHF1MEIBTRh38/w9hNxFc+v//n/7H+Za8UtZkEgf9FlPLuF2hR0zd9fx5dgsiACZPqSIhM00ziJHqfuAHfCMdCQCl"
                + "lFJKmVauf7tL//+HEMMFAAAAF4eB4mm+LQAEQAfICYMDQ4FCRYPBAQYBgcNAwYPBgBAUBgTCwLAwLBSWxURyTRRbBwAAADSy"
                + "6CFRUBiHSZqCxgAjIgIAAAAAAAEAAAAEAAAACAAAAA=="
        // 4836 items sampled.
        case .classSummaries:
            "N6Qw7AdwHF0bENBJknT//////4P+P/gpiL1c5G/SNonG/x0FowEAAACApFEHhgMAAATAgAIEAwAAgweEiQKCAQKCAgsEAgAA"
                + "AAIAAAAAAwADAAAAAIATAIBJ7wsAAADEOlYAAAAAAAAAAAAAAAAAAAABAAAABAAAAAgAAAA="
        }
    }
}
