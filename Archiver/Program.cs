using System.Text;
using Archiver.Cli;

// Console.Out hands the stream 256 characters at a time, so a long line (a watch check's JSON, an exported post)
// reached a pipe in pieces, and a process killed between two of them left half a line for the program reading it.
// One write per line: a kill lands between lines (a pipe takes up to 4 KiB in one piece).
Console.SetOut(new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 1 << 16) { AutoFlush = true });
return await CliApp.RunAsync(args, Console.Out, Console.Error);
