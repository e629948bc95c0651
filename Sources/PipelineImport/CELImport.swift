/// A condition as pipespec writes it, from the CEL kfp writes: each
/// `inputs.parameter_values['NAME']` (kfp 1.8: `inputs.parameters['NAME'].double_value`) the
/// reference it carries, kfp's `int(…)` and
/// `double(…)` casts dropped (pipespec adds them back from the types), and `&&`, `||` and
/// `!` as `and`, `or` and `not`.
enum CELImport {
    static func condition(_ cel: String, reference: (String) throws -> String) throws -> String {
        var tokens: [String] = []
        /// For each open parenthesis, whether it is written (a cast's is not).
        var parentheses: [Bool] = []
        var rest = Substring(cel)
        func fail() -> ImportError { ImportError("cannot read the condition '\(cel)'") }
        while let character = rest.first {
            if character == " " {
                rest = rest.dropFirst()
            } else if let read = ["inputs.parameter_values['", "inputs.parameters['"].first(where: { rest.hasPrefix($0) }) {
                rest = rest.dropFirst(read.count)
                guard let end = rest.firstRange(of: "']") else { throw fail() }
                tokens.append(try reference(String(rest[..<end.lowerBound])))
                rest = rest[end.upperBound...]
                // kfp 1.8 read a typed field of the value.
                if let field = [".string_value", ".int_value", ".double_value", ".bool_value"].first(where: { rest.hasPrefix($0) }) {
                    rest = rest.dropFirst(field.count)
                }
            } else if let cast = ["int(", "double("].first(where: { rest.hasPrefix($0) }) {
                parentheses.append(false)
                rest = rest.dropFirst(cast.count)
            } else if character == "(" {
                parentheses.append(true)
                tokens.append("(")
                rest = rest.dropFirst()
            } else if character == ")" {
                guard let written = parentheses.popLast() else { throw fail() }
                if written { tokens.append(")") }
                rest = rest.dropFirst()
            } else if let symbol = ["&&", "||", "==", "!=", "<=", ">=", "<", ">", "!"].first(where: { rest.hasPrefix($0) }) {
                tokens.append(["&&": "and", "||": "or", "!": "not"][symbol] ?? symbol)
                rest = rest.dropFirst(symbol.count)
            } else if character == "'" {
                var literal = "'", index = rest.index(after: rest.startIndex)
                while index < rest.endIndex, rest[index] != "'" {
                    if rest[index] == "\\", rest.index(after: index) < rest.endIndex {
                        literal.append(rest[index])
                        index = rest.index(after: index)
                    }
                    literal.append(rest[index])
                    index = rest.index(after: index)
                }
                guard index < rest.endIndex else { throw fail() }
                tokens.append(literal + "'")
                rest = rest[rest.index(after: index)...]
            } else {
                let word = rest.prefix { $0.isLetter || $0.isNumber || ".-+_".contains($0) }
                guard !word.isEmpty else { throw fail() }
                tokens.append(String(word))
                rest = rest.dropFirst(word.count)
            }
        }
        guard parentheses.isEmpty else { throw fail() }
        var text = ""
        for (index, token) in tokens.enumerated() {
            let previous = index > 0 ? tokens[index - 1] : nil
            if previous != nil, previous != "(", token != ")" { text += " " }
            text += token
        }
        return text
    }

    /// The terms a CEL condition joins with `&&` at its top level.
    static func conjunction(_ cel: String) -> [String] {
        var terms: [String] = [], current = "", depth = 0, quoted = false
        var characters = cel.makeIterator()
        while let character = characters.next() {
            if quoted {
                current.append(character)
                if character == "\\", let escaped = characters.next() { current.append(escaped) } else if character == "'" { quoted = false }
                continue
            }
            switch character {
            case "'": quoted = true
            case "(": depth += 1
            case ")": depth -= 1
            default: break
            }
            current.append(character)
            if depth == 0, current.hasSuffix(" && ") {
                terms.append(String(current.dropLast(4)))
                current = ""
            }
        }
        return terms + [current]
    }
}
