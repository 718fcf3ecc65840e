namespace Vigil.Core.Config;

/// <summary>A cron expression: five fields (minute hour day-of-month month day-of-week), six with seconds first, or a macro such as <c>@daily</c>.</summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
internal sealed class CronAttribute : Attribute;
