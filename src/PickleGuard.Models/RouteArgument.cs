namespace PickleGuard.Models;

/// <summary>
/// The argument of a registering call that holds the route (<c>path("item/&lt;str:blob&gt;/", view)</c>): when it is a
/// string literal, the names it captures are the view parameters the client fills.
/// </summary>
public sealed record RouteArgument(ArgumentSelector Selector, RouteSyntax Syntax);
