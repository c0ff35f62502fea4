describe("signing", () => {
  const SECRET_KEY = "@@KEY:p75@@";
  it("signs", () => expect(sign("x", SECRET_KEY)).toBeTruthy());
});
