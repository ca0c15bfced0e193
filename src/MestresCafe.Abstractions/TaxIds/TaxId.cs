namespace MestresCafe.TaxIds;

/// <summary>Whose tax id it is: a person's CPF or a company's CNPJ.</summary>
public enum TaxIdKind
{
    Cpf,
    Cnpj,
}

/// <summary>
/// A customer's tax id, CPF or CNPJ, stored as its characters without punctuation: one rule for
/// every writer (the account, the back office, an import) so that the unique index compares like
/// with like.
/// </summary>
public static class TaxId
{
    /// <summary>Without punctuation and upper-cased (an alphanumeric CNPJ may be typed in lower case).</summary>
    public static string Normalize(string taxId, TaxIdKind kind) =>
        kind == TaxIdKind.Cpf ? Cpf.Normalize(taxId) : Cnpj.Normalize(taxId);

    /// <summary>Null when <paramref name="taxId"/> is a valid id of <paramref name="kind"/>, else why not.</summary>
    public static string? Check(string taxId, TaxIdKind kind) =>
        kind == TaxIdKind.Cpf ? Cpf.Check(taxId) : Cnpj.Check(taxId);
}
