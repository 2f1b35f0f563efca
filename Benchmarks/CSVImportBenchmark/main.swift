// Times RecipientsCSV.read on a generated recipients file: reading the CSV and RecipientImport's rules
// (normalization, rejected rows, duplicates), no database. Prints the median, min and max of several
// rounds, the counts it found, and the process's peak memory; and, as the floor, CSV.swift alone
// reading the same file (Foundation's file InputStream, rows counted, nothing else).
//
// Usage: CSVImportBenchmark [rows] [rounds]   (build with -c release; scripts/bench-csv-import.sh runs it)

import CRMCore
import CRMImport
import CSV
import Foundation

let arguments = CommandLine.arguments
let rowCount = arguments.count > 1 ? Int(arguments[1]) ?? 100_000 : 100_000
let rounds = arguments.count > 2 ? Int(arguments[2]) ?? 7 : 7

/// A file as a Brazilian unit's export looks: phone, name, city; Excel's semicolons, a BOM and CRLF,
/// quoted cities (one in six holds the separator), phones in several spellings. Every 1,000th row has
/// an invalid phone and every other 500th repeats the row before's number (written differently).
func generate(rows: Int, at url: URL) throws -> (invalid: Int, duplicates: Int) {
    let cities = ["São Paulo", "Rio de Janeiro", "Belo Horizonte", "Porto Alegre", "Curitiba; PR", "Recife"]
    var text = "\u{FEFF}telefone;nome;cidade\r\n"
    text.reserveCapacity(rows * 48)
    var invalid = 0
    var duplicates = 0
    func area(_ row: Int) -> Int { [11, 21, 31][row % 3] }
    func mobile(_ row: Int) -> Int { 910_000_000 + row * 7 }
    for row in 1...rows {
        let phone: String
        if row % 1_000 == 0 {
            phone = "12345"
            invalid += 1
        } else if row % 500 == 0 {
            phone = "0\(area(row - 1)) \(mobile(row - 1))"  // the previous row's number, with the trunk prefix
            duplicates += 1
        } else {
            switch row % 3 {
            case 0: phone = "\(area(row)) \(mobile(row))"
            case 1: phone = String(format: "(%d) %05d-%04d", area(row), mobile(row) / 10_000, mobile(row) % 10_000)
            default: phone = "+55 \(area(row)) \(mobile(row))"
            }
        }
        let city = cities[row % cities.count]
        text += "\(phone);Cliente \(row) da Silva;\"\(city)\"\r\n"
    }
    try Data(text.utf8).write(to: url)
    return (invalid, duplicates)
}

func peakMemoryMiB() -> Double {
    var usage = rusage()
    #if canImport(Glibc)
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    #else
    getrusage(RUSAGE_SELF, &usage)
    #endif
    return Double(usage.ru_maxrss) / 1024  // KiB on Linux
}

let folder = FileManager.default.temporaryDirectory.appendingPathComponent("csv-bench-\(UUID().uuidString.prefix(8))")
try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: folder) }
let file = folder.appendingPathComponent("recipients.csv")
let expected = try generate(rows: rowCount, at: file)
let size = try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int ?? 0
let memoryBefore = peakMemoryMiB()

/// The CPU time this process has used, in seconds: on a shared machine the wall-clock time of a round also
/// holds the time other processes had the core, the CPU time does not.
func cpuSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

/// The sorted wall-clock and CPU times of `rounds` runs of `body`, in seconds.
func measure(_ body: () throws -> Void) rethrows -> (wall: [Double], cpu: [Double]) {
    let clock = ContinuousClock()
    var wall: [Double] = []
    var cpu: [Double] = []
    for _ in 0..<rounds {
        let cpuBefore = cpuSeconds()
        let elapsed = try clock.measure(body)
        cpu.append(cpuSeconds() - cpuBefore)
        wall.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }
    return (wall.sorted(), cpu.sorted())
}

var last: RecipientImport?
var progressCalls = 0
let times = try measure {
    last = nil
    last = try RecipientsCSV.read(path: file.path, defaultCountryCode: "55") { _ in progressCalls += 1 }
}
var libraryRows = 0
let libraryTimes = try measure {
    let reader = try CSVReader(stream: InputStream(fileAtPath: file.path)!, delimiter: ";")
    libraryRows = 0
    while reader.next() != nil { libraryRows += 1 }
}
let result = last!
guard result.rejected.count == expected.invalid, result.duplicates == expected.duplicates,
      result.recipients.count == rowCount - expected.invalid - expected.duplicates
else {
    print("MISMATCH: \(result.recipients.count) recipients, \(result.rejected.count) rejected, \(result.duplicates) duplicates")
    exit(1)
}
func ms(_ value: Double) -> String { String(format: "%.0f ms", value * 1000) }
func summary(_ times: (wall: [Double], cpu: [Double])) -> String {
    "median \(ms(times.wall[rounds / 2])), min \(ms(times.wall[0])), max \(ms(times.wall[rounds - 1])); "
        + "CPU time median \(ms(times.cpu[rounds / 2])), min \(ms(times.cpu[0]))"
}
print("rows: \(rowCount), file: \(String(format: "%.1f", Double(size) / 1_048_576)) MiB; "
    + "recipients \(result.recipients.count), rejected \(result.rejected.count), duplicates \(result.duplicates)")
print("RecipientsCSV.read (CSV.swift + line numbers + RecipientImport), \(rounds) rounds: \(summary(times))")
print("CSV.swift alone (\(libraryRows) records), \(rounds) rounds: \(summary(libraryTimes))")
print(String(format: "peak memory: %.0f MiB (%.0f MiB before the first read, with the generated text)", peakMemoryMiB(), memoryBefore))
