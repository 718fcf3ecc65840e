using Vigil.Core.Incidents;

namespace Vigil.Core.Tests.Incidents;

public sealed class ChecklistsTests
{
    [Fact]
    public void Parse_OpenAndTickedItems_BothCountInOrder()
    {
        var items = Checklists.Parse("""
            # SEV1 checklist

            Do these in order.

            - [ ] Name an incident commander
            - [x] Open the incident channel
            - [X] Page the database on-call
            """);

        Assert.Equal(["Name an incident commander", "Open the incident channel", "Page the database on-call"], items);
    }

    [Fact]
    public void Parse_PlainListItemsAndProse_AreNotItems()
    {
        var items = Checklists.Parse("""
            - a plain bullet
            - [ ] a real item
            * [ ] a star item
            1. [ ] a numbered item

            Not a list: [ ] brackets in prose
            - [] no space inside the brackets
            """);

        Assert.Equal(["a real item", "a star item", "a numbered item"], items);
    }

    [Fact]
    public void Parse_ItemsInsideCodeFences_AreIgnored()
    {
        var items = Checklists.Parse("""
            - [ ] before the fence

            ```markdown
            - [ ] an example inside a fence
            - [x] another example
            ```

            ~~~
            - [ ] tilde fence too
            ~~~

                - [ ] an indented code block

            - [ ] after the fence
            """);

        Assert.Equal(["before the fence", "after the fence"], items);
    }

    [Fact]
    public void Parse_NestedLists_EveryLevelCountsInDocumentOrder()
    {
        var items = Checklists.Parse("""
            - [ ] Stabilise
              - [ ] Roll back the last deploy
              - [ ] Scale out the API
                - [x] Check the autoscaler limits
            - [ ] Communicate
              - a note that is not an item
            """);

        Assert.Equal(["Stabilise", "Roll back the last deploy", "Scale out the API", "Check the autoscaler limits", "Communicate"], items);
    }

    [Fact]
    public void Parse_CrlfLineEndings_SameItemsWithoutCarriageReturns()
    {
        var lf = "# Checklist\n\n- [ ] First step\n- [x] Second step\n  - [ ] Nested step\n\n```\n- [ ] fenced\n```\n";
        var crlf = lf.Replace("\n", "\r\n", StringComparison.Ordinal);

        var items = Checklists.Parse(crlf);

        Assert.Equal(["First step", "Second step", "Nested step"], items);
        Assert.Equal(Checklists.Parse(lf), items);
        Assert.All(items, i => Assert.DoesNotContain('\r', i));
    }

    [Fact]
    public void Parse_InlineMarkup_KeepsTheTextAndCodeSpans()
    {
        var items = Checklists.Parse("- [ ] Run `vigil incident ack` and **tell** the [status page](https://status.example.com)\n");

        Assert.Equal(["Run `vigil incident ack` and tell the status page"], items);
    }

    [Fact]
    public void Parse_ItemWrappedOverTwoLines_IsOneItem()
    {
        var items = Checklists.Parse("- [ ] Post an update\n  every 30 minutes\n- [ ] Next\n");

        Assert.Equal(["Post an update every 30 minutes", "Next"], items);
    }

    [Fact]
    public void Parse_EmptyItemsAndEmptyText_AreSkipped()
    {
        Assert.Empty(Checklists.Parse(""));
        Assert.Empty(Checklists.Parse("# Nothing to do\n"));
        Assert.Equal(["real"], Checklists.Parse("- [ ]    \n- [ ] real\n"));
    }

    [Fact]
    public void Parse_ManyItems_CappedAndLongItemsCut()
    {
        var many = string.Concat(Enumerable.Range(1, Checklists.MaxItems + 20).Select(i => $"- [ ] step {i}\n"));
        var items = Checklists.Parse(many);
        Assert.Equal(Checklists.MaxItems, items.Count);
        Assert.Equal("step 1", items[0]);
        Assert.Equal($"step {Checklists.MaxItems}", items[^1]);

        var longItem = Checklists.Parse("- [ ] " + new string('a', 800) + "\n");
        Assert.Equal(500, Assert.Single(longItem).Length);
    }
}
