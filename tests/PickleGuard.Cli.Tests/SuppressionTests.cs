using PickleGuard.Cli.Filtering;

namespace PickleGuard.Cli.Tests;

public class SuppressionTests
{
    [Theory]
    [InlineData("x = pickle.loads(d)  # nosec", "PG101", true)]
    [InlineData("x = pickle.loads(d)  # NOSEC", "PG101", true)]
    [InlineData("x = pickle.loads(d)  # nosec B301", "PG101", false)]
    [InlineData("x = pickle.loads(d)  # nosec PG101", "PG101", true)]
    [InlineData("x = pickle.loads(d)  # noqa", "PG101", true)]
    [InlineData("x = pickle.loads(d)  # noqa: PG101,PG102", "PG102", true)]
    [InlineData("x = pickle.loads(d)  # noqa: PG101, PG102", "PG102", true)]
    [InlineData("x = pickle.loads(d)  # noqa: PG101", "PG102", false)]
    [InlineData("x = pickle.loads(d)  # noqa: E501", "PG101", false)]
    [InlineData("x = pickle.loads(d)  # noqa: PG1", "PG102", true)]
    [InlineData("x = pickle.loads(d)  # pickleguard: ignore", "PG101", true)]
    [InlineData("x = pickle.loads(d)  # pickleguard: ignore[PG101]", "PG101", true)]
    [InlineData("x = pickle.loads(d)  # pickleguard: ignore[PG102, PG103]", "PG101", false)]
    [InlineData("x = pickle.loads(d)  # type: ignore  # noqa", "PG101", true)]
    [InlineData("x = pickle.loads('# noqa')", "PG101", false)]
    [InlineData("x = pickle.loads(\"a\\\" # noqa\")", "PG101", false)]
    [InlineData("x = pickle.loads(d)  # noqanope", "PG101", false)]
    [InlineData("x = pickle.loads(d)", "PG101", false)]
    public void Directives(string line, string code, bool suppressed) =>
        Assert.Equal(suppressed, Suppressions.IsSuppressed(line, code));
}
