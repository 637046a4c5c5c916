using Archiver.Benchmarks;

return await BenchApp.RunAsync(args, Console.Out, Console.Error);
