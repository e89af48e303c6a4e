using System.Runtime.CompilerServices;

// Container tests drive ArtifactScanner through the IPickleStreamScanner seam to see exactly which bytes reach the
// pickle scanner; the benchmark does the same to time the container layer alone.
[assembly: InternalsVisibleTo("PickleGuard.Pickle.Tests")]
[assembly: InternalsVisibleTo("PickleGuard.Benchmarks")]
