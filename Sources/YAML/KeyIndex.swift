/// Finds the earlier entry of a mapping being read that has a given key, for the duplicate
/// check. A small mapping is scanned; a large one is indexed by a hash table of its own,
/// which hashes a key's UTF-8 bytes with FNV-1a: Swift's `String` hashing normalizes Unicode
/// and is seeded per process, and dominated the reading of a file with a million keys.
/// Keys are equal when their bytes are, as YAML and JSON compare them.
struct KeyIndex {
    /// Mappings with more keys than this are indexed; scanning smaller ones is faster.
    static let threshold = 12

    /// A key's hash and its entry's index + 1 (0: an empty slot), side by side so that a
    /// probe touches one cache line; 8 bytes, as a large mapping has up to four a key.
    private struct Slot {
        var hash: UInt32 = 0
        var entry: Int32 = 0
    }

    /// A power of two in size, at most half full.
    private var slots: [Slot] = []
    private var used = 0

    /// The index in `entries` of an entry whose key is `key`; when there is none, `key` is
    /// taken to be the key of the entry appended next.
    mutating func earlierOrAdd(_ key: String, in entries: [MappingEntry]) -> Int? {
        if entries.count < Self.threshold {
            return entries.firstIndex { $0.key.utf8.elementsEqual(key.utf8) }
        }
        if slots.isEmpty {
            // Built once the mapping is large, from entries known to hold no duplicates.
            slots = Array(repeating: Slot(), count: 64)
            for index in entries.indices { place(Slot(hash: Self.hash(entries[index].key), entry: Int32(index + 1))) }
        }
        let hash = Self.hash(key)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot].entry != 0 {
            let index = Int(slots[slot].entry) - 1
            if slots[slot].hash == hash, entries[index].key.utf8.elementsEqual(key.utf8) { return index }
            slot = (slot + 1) & mask
        }
        slots[slot] = Slot(hash: hash, entry: Int32(entries.count + 1))
        used += 1
        if used * 2 > slots.count { grow() }
        return nil
    }

    /// Doubles the table, moving the stored hashes: no key is read again.
    private mutating func grow() {
        let old = slots
        slots = Array(repeating: Slot(), count: old.count * 2)
        used = 0
        for slot in old where slot.entry != 0 { place(slot) }
    }

    private mutating func place(_ new: Slot) {
        if used * 2 >= slots.count { grow() }
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: new.hash) & mask
        while slots[slot].entry != 0 { slot = (slot + 1) & mask }
        slots[slot] = new
        used += 1
    }

    private static func hash(_ key: String) -> UInt32 {
        // Native strings are contiguous UTF-8: hash the bytes in place, not through the view.
        key.utf8.withContiguousStorageIfAvailable(hash) ?? hash(Array(key.utf8))
    }

    private static func hash(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        // FNV's low bits mix poorly; the table indexes by them.
        return UInt32(truncatingIfNeeded: hash ^ (hash >> 29))
    }
}
