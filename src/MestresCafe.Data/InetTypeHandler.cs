using System.Data;
using System.Net;
using Dapper;
using Npgsql;
using NpgsqlTypes;

namespace MestresCafe.Data;

/// <summary>
/// Lets an <see cref="IPAddress"/> be a Dapper parameter (an inet column) and a mapped member.
/// Dapper has no mapping for it; Npgsql has, once the parameter says its type.
/// </summary>
internal sealed class InetTypeHandler : SqlMapper.TypeHandler<IPAddress>
{
    public override void SetValue(IDbDataParameter parameter, IPAddress? value)
    {
        ((NpgsqlParameter)parameter).NpgsqlDbType = NpgsqlDbType.Inet;
        parameter.Value = (object?)value ?? DBNull.Value;
    }

    public override IPAddress? Parse(object value) => (IPAddress)value;
}
