namespace PickleGuard.Python.Tests;

public class SmokeTests
{
    [Fact]
    public void SkippableWorks() => Skip.If(false);
}
