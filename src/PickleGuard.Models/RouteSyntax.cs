namespace PickleGuard.Models;

/// <summary>How a route string names the parts of the URL a view receives (<see cref="RouteArgument"/>).</summary>
public enum RouteSyntax
{
    /// <summary>Django's <c>path()</c> syntax: <c>"item/&lt;str:blob&gt;/"</c> captures <c>blob</c>.</summary>
    DjangoPath,

    /// <summary>A regular expression: named groups <c>(?P&lt;blob&gt;...)</c> are keyword arguments (Django's <c>re_path</c>).</summary>
    Regex,
}
