// The SQLite layer: see Database.swift (to come).
enum SandboxStoragePlaceholder {}
