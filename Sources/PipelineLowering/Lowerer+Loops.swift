import Diagnostics
import JSON
import PipelineConfig
import PipelineIR

// Loops: what they iterate over, and the item their tasks read.
extension Lowerer {
    func resolveLoop(of group: GroupID) {
        guard let loop = pendingLoops[group] else { return }
        // On an error the group keeps the empty loop it was made with.
        func notAList() {
            diagnostics.error(.loopItems, "for_each takes a list or one reference to a list, such as ${params.regions}", at: loop.items.location)
        }
        let items: LoopIR.Items
        let itemType: ParameterType
        switch loop.items.content {
        case .list(let values):
            items = .list(values.map(Self.loopItem))
            itemType = Self.itemType(values[0])
        case .string(let template):
            guard let whole = template.wholeReference else { return notAList() }
            guard let resolved = resolve(whole.reference, at: whole.location, from: .group(group)) else { return }
            guard case .channel(let channel) = resolved, channel.type == .parameter(.list) else {
                diagnostics.error(.loopItems, "for_each needs a list, but '${\(whole.reference.spelling)}' is \(Self.describe(resolved))", at: whole.location)
                return
            }
            conditionDependencies[group, default: []] += dependencies(on: whole.reference, at: whole.location, from: .group(group))
            items = .channel(channel)
            itemType = .string
        default:
            return notAList()
        }
        groups[group].kind = .loop(LoopIR(items: items, parallelism: loop.parallelism, itemType: itemType))
    }

    /// The innermost loop group around `group` (itself included), if any.
    func enclosingLoop(of group: GroupID) -> GroupID? {
        groups.chain(to: group).last { pendingLoops[$0] != nil }
    }

    /// The type KFP gives the items of a list written out: its first item's.
    private static func itemType(_ first: Value) -> ParameterType {
        switch first.content {
        case .bool: return .bool
        case .int: return .int
        case .float: return .float
        case .list: return .list
        case .map: return .struct
        case .null, .string: return .string
        }
    }

    /// An item of a list written out, as JSON with integers kept (they are written back as
    /// the list KFP iterates over).
    private static func loopItem(_ value: Value) -> JSONValue {
        switch value.content {
        case .int(let number): return .int(number)
        case .list(let items): return .array(items.map(loopItem))
        case .map(let entries): return .object(JSONObject(entries.map { ($0.key.value, loopItem($0.value)) }))
        default: return ConstantValues.json(value)
        }
    }

    private static func describe(_ resolved: ResolvedReference) -> String {
        switch resolved {
        case .runtime: return "a string"
        case .channel(let channel): return ArgumentBinder.typeName(channel.type)
        case .loopItemField: return "a field of an item"
        }
    }
}

extension DiagnosticID {
    static let loopItems = DiagnosticID("loop-items")
    static let itemOutsideLoop = DiagnosticID("item-outside-loop")
    static let itemField = DiagnosticID("item-field")
    static let collectedOutput = DiagnosticID("collected-output")
}
