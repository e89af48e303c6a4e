namespace PickleGuard.Python;

internal sealed partial class Parser
{
    // import_name: 'import' dotted_as_names
    private ImportStmt ParseImport()
    {
        int start = Advance().Start;
        var names = Rent<Alias>();
        do
        {
            int aliasStart = Current.Start;
            string? name = ParseDottedName();
            if (name == null)
            {
                break;
            }

            string? asName = ParseAsName();
            names.Add(new Alias(SpanFrom(aliasStart), name, asName));
        }
        while (Eat(TokenKind.Comma));

        return new ImportStmt(SpanFrom(start), ToList(names));
    }

    // import_from: 'from' ('.' | '...')* dotted_name 'import' import_from_targets
    //            | 'from' ('.' | '...')+ 'import' import_from_targets
    private ImportFromStmt ParseImportFrom()
    {
        int start = Advance().Start;
        int level = 0;
        while (Kind is TokenKind.Dot or TokenKind.Ellipsis)
        {
            level += Advance().Kind == TokenKind.Dot ? 1 : 3;
        }

        string? module = null;
        if (Kind != TokenKind.Import || level == 0)
        {
            module = ParseDottedName();
        }

        Expect(TokenKind.Import, "import");
        var names = Rent<Alias>();
        if (Kind == TokenKind.Star)
        {
            Token star = Advance();
            names.Add(new Alias(star.Span, "*", null));
            return new ImportFromStmt(SpanFrom(start), module, ToList(names), level);
        }

        bool parenthesized = Eat(TokenKind.LeftParen);
        while (true)
        {
            if (Kind != TokenKind.Name)
            {
                if (names.Count == 0 || !parenthesized)
                {
                    ErrorAtCurrent("expected a name to import");
                }

                break;
            }

            Token name = Advance();
            string? asName = ParseAsName();
            names.Add(new Alias(SpanFrom(name.Start), Intern(name), asName));
            if (!Eat(TokenKind.Comma))
            {
                break;
            }

            if (!parenthesized && AtExpressionEnd())
            {
                Error(Current.Span, "trailing comma not allowed without surrounding parentheses");
                break;
            }
        }

        if (parenthesized)
        {
            Expect(TokenKind.RightParen, ")");
        }

        return new ImportFromStmt(SpanFrom(start), module, ToList(names), level);
    }

    private string? ParseAsName()
    {
        if (!Eat(TokenKind.As))
        {
            return null;
        }

        if (Kind != TokenKind.Name)
        {
            ErrorAtCurrent("expected a name after 'as'");
            return null;
        }

        return Intern(Advance());
    }

    // dotted_name: dotted_name '.' NAME | NAME
    private string? ParseDottedName()
    {
        if (Kind != TokenKind.Name)
        {
            ErrorAtCurrent("expected a module name");
            return null;
        }

        Token first = Advance();
        if (Kind != TokenKind.Dot)
        {
            return Intern(first);
        }

        System.Text.StringBuilder builder = Scratch().Append(Intern(first));
        while (Kind == TokenKind.Dot && Peek(1) == TokenKind.Name)
        {
            Advance();
            builder.Append('.').Append(Intern(Advance()));
        }

        if (Kind == TokenKind.Dot)
        {
            Advance();
            ErrorAtCurrent("expected a name after '.'");
        }

        if (builder.Length > 128)
        {
            return Intern(builder.ToString().AsSpan());
        }

        // Interned from a copy on the stack: a module imported again (os.path) then costs no string.
        Span<char> name = stackalloc char[builder.Length];
        builder.CopyTo(0, name, builder.Length);
        return Intern(name);
    }
}
