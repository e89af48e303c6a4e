return PickleGuard.Cli.Cli.Run(args, Console.Out, Console.Error);
