namespace Vigil.Core.Config;

/// <summary>An IANA time zone id such as <c>Europe/Berlin</c> or <c>UTC</c>.</summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
internal sealed class TimeZoneIdAttribute : Attribute;
