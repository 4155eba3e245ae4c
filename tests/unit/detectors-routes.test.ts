// Offering the formal route is a service, helplessness is not a rule, and a few words that only
// look like a habit: our own wordings (simplified, traditional, Cantonese, English) with near misses.
import { describe, expect, it } from "vitest";
import { detect } from "../../src/evaluation/detectors/index.ts";

const taboos = (text: string) =>
  detect([{ seq: 1, text }])
    .filter((h) => h.kind === "taboo")
    .map((h) => h.family);
const empathy = (text: string) =>
  detect([{ seq: 1, text }])
    .filter((h) => h.kind === "empathy")
    .map((h) => h.family);

describe("a rule named while the staff act on it for the customer is not hiding behind it", () => {
  it.each([
    "如果确实有问题，我们按投诉流程给您处理。",
    "我们会按流程为您办理退款，今天就提交。",
    "我們會按規定流程幫您辦理掛失，十分鐘就好。",
    "I am following the procedure for you here, so your claim goes to the senior team today.",
  ])("%s", (text) => {
    expect(taboos(text)).not.toContain("hiding-behind-rules");
  });

  it.each([
    "按规定我们不能给您办。",
    "按規定我們不能幫您辦，冇得商量。",
    "规定就是这样，我们会按规定处理的。",
    "呢個係規定，冇得商量。",
    "Under our policy we cannot do that for you.",
  ])("refusing by the rule still is: %s", (text) => {
    expect(taboos(text)).toContain("hiding-behind-rules");
  });
});

describe("'nothing can be done' is brushing off; with a rule named, hiding behind it", () => {
  it.each(["我也没办法。", "我哋都冇辦法㗎。", "There's nothing I can do."])("bare: %s", (text) => {
    expect(taboos(text)).toEqual(["brushing-off"]);
  });

  it.each(["规定就是这样，我也没办法。", "沒辦法，這是總行的規定。", "It's bank policy, so there's nothing I can do."])(
    "with a rule: %s",
    (text) => {
      expect(taboos(text)).toEqual(["hiding-behind-rules"]);
    },
  );

  it.each([
    "没办法的话我们再一起想想别的办法。",
    "您看还有没有办法补救？",
    "今天确实没办法马上退，但我现在就帮您申请加急，明天上午到账。",
    "There's nothing I can do from this desk, but I can call the card team for you right now.",
  ])("near miss: %s", (text) => {
    expect(taboos(text)).toEqual([]);
  });
});

describe("没准 is 'maybe' only on its own", () => {
  it("a hedge", () => {
    expect(taboos("没准明天就到了")).toContain("vague");
    expect(taboos("沒準兒下週就批下來")).toContain("vague");
  });
  it.each(["让您等了这么久还没准信，非常抱歉。", "航班今天没准点，给您添麻烦了。", "我还没准备好材料，稍等我一下。"])(
    "other words: %s",
    (text) => {
      expect(taboos(text)).not.toContain("vague");
    },
  );
});

describe("naming what the customer is trying to do is naming the real worry", () => {
  it.each([
    "给儿子汇学费，我帮您看看哪种方式最划算。",
    "您是想省点手续费吧？我帮您比较一下。",
    "給女兒匯留學的生活費，我幫您揀最快的方式。",
    "So this is for your daughter's tuition; let me find the cheapest way.",
    "You want to save on the fees, so let me compare the two options.",
  ])("%s", (text) => {
    expect(empathy(text)).toContain("naming-the-worry");
  });

  it.each(["您不想省这点手续费吗？", "我们有留学贷款产品，您可以了解一下。", "The fees are listed on the website."])(
    "near miss: %s",
    (text) => {
      expect(empathy(text)).not.toContain("naming-the-worry");
    },
  );
});
