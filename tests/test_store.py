def test_x(ctx, people):
    assert ctx.staff.count() == 7
