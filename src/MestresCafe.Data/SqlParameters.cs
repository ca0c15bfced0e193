using System.Data;
using Dapper;
using Npgsql;
using NpgsqlTypes;

namespace MestresCafe.Data;

/// <summary>
/// Collects positional parameters while a statement is assembled from constant fragments, so that
/// no value ever becomes SQL text. The same values can be attached to several batch commands, or
/// handed to Dapper as the parameters of one statement.
/// </summary>
internal sealed class SqlParameters : SqlMapper.IDynamicParameters
{
    private readonly List<(object Value, NpgsqlDbType? Type)> _values = [];

    public string Add(object value, NpgsqlDbType? type = null)
    {
        _values.Add((value, type));
        return "$" + _values.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public void AttachTo(NpgsqlParameterCollection parameters)
    {
        foreach (var (value, type) in _values)
        {
            var parameter = new NpgsqlParameter { Value = value };
            if (type is { } t)
            {
                parameter.NpgsqlDbType = t;
            }

            parameters.Add(parameter);
        }
    }

    void SqlMapper.IDynamicParameters.AddParameters(IDbCommand command, SqlMapper.Identity identity) => AttachTo(((NpgsqlCommand)command).Parameters);
}
