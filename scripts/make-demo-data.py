#!/usr/bin/env python3
"""Builds the demo catalogue in src/TechTransfer.Server/Demo from the CSL dev data in ../shared/data.

Deterministic: the same input gives the same files. The records are real paper metadata (CSL, Apache-2.0);
the structured fields a paper lacks (TRL, transfer modes, price, province) are assigned from a hash of the
record id, and the whole set is labelled as demo data wherever it is shown.
"""
import hashlib, json, os, sys

SHARED = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data")
OUT = os.path.join(os.path.dirname(__file__), "..", "src", "TechTransfer.Server", "Demo")

FIELDS = {
    "ElectronicInformation": ["计算机科学与技术", "信息与通信工程", "电子科学与技术", "控制科学与工程", "光学工程", "测绘科学与技术", "数学"],
    "BioMedicine": ["基础医学/临床医学", "中医学/中药学", "药学", "口腔医学", "公共卫生与预防医学", "生物学/生物科学与工程",
                    "畜牧学/兽医学", "园艺学", "作物学", "植物保护", "水产", "食品科学与工程"],
    "Aerospace": ["航空宇航科学与技术", "兵器科学与技术", "天文学"],
    "NewMaterials": ["材料科学与工程", "化学/化学工程与技术", "纺织科学与工程", "冶金工程"],
    "HighTechServices": ["地理学", "建筑学"],
    "NewEnergy": ["动力工程及工程热物理", "电气工程", "核科学与技术", "石油与天然气工程"],
    "ResourcesEnvironment": ["环境科学与工程", "大气科学", "地质学/地质资源与地质工程", "矿业工程", "海洋科学", "水利工程",
                             "地球物理学", "农业资源利用", "林学/林业工程", "农业工程"],
    "AdvancedManufacturing": ["机械工程", "交通运输工程", "船舶与海洋工程", "土木工程", "力学", "物理学"],
}
FIELD_OF = {d: f for f, ds in FIELDS.items() for d in ds}
# Demo universities, one per province; 江苏 is demo-university itself.
PROVINCES = ["江苏", "北京", "上海", "湖北", "四川", "陕西", "辽宁", "广东", "浙江", "山东"]
MODES = ["License", "Assignment", "JointImplementation", "EquityInvestment"]


def h(text, salt=""):
    return int(hashlib.sha256((salt + text).encode()).hexdigest(), 16)


def main():
    rows = [json.loads(l) for l in open(os.path.join(SHARED, "achievements-dev.jsonl"), encoding="utf-8")]
    rows = [r for r in rows if r["discipline"] in FIELD_OF and 2 <= len(r["keywords"]) <= 8]
    rows.sort(key=lambda r: h(r["id"], "pick"))
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "achievements.jsonl"), "w", encoding="utf-8") as out:
        for r in rows[:400]:
            k = h(r["id"])
            modes = sorted({MODES[k % 4], MODES[(k // 4) % 4]})
            body = {
                "externalId": r["id"],
                "title": r["title"],
                "summary": r["abstract"],
                "keywords": r["keywords"],
                "techField": FIELD_OF[r["discipline"]],
                "trl": 3 + (k // 16) % 7,
                "transferModes": modes,
                "askingPrice": [None, 50, 80, 120, 200, 300, 500, 800][(k // 112) % 8],
                "province": PROVINCES[(k // 1000) % len(PROVINCES)],
                "ipRights": [{"kind": "InventionPatent", "number": f"ZL20{(k // 7) % 10 + 15}1{k % 10**7:07d}.{k % 10}"}],
                "contact": {"name": "成果转化办公室", "phone": f"025-{8000_0000 + k % 10**7}", "email": "tto@demo.techtransfer.cn"},
            }
            out.write(json.dumps(body, ensure_ascii=False) + "\n")
    demands = [json.loads(l) for l in open(os.path.join(SHARED, "demands-dev.jsonl"), encoding="utf-8")]
    demands = [d for d in demands if d["kind"] == "keywords"]
    demands.sort(key=lambda d: h(d["id"], "pick"))
    by_id = {r["id"]: r for r in rows}
    with open(os.path.join(OUT, "demands.jsonl"), "w", encoding="utf-8") as out:
        written = 0
        for d in demands:
            source = next((by_id[i] for i, g in d["relevant"].items() if g == 3 and i in by_id), None)
            if source is None:
                continue
            k = h(d["id"])
            words = d["text"].split("、")
            low = [50, 100, 200, 300][k % 4]
            body = {
                "title": f"寻求{words[0]}相关技术合作",
                "description": f"我单位需要以下方向的技术：{d['text']}。",
                "keywords": words,
                "techField": FIELD_OF[source["discipline"]],
                "minTrl": 3 + k % 4,
                "budgetMin": low,
                "budgetMax": low * (2 + k % 3),
                "province": ["广东", "浙江", "江苏", "北京", "四川"][(k // 4) % 5],
                "deadline": f"{2027 + k % 2}-{1 + k % 12:02d}-28",
                "contact": {"name": "技术需求联系人", "phone": f"020-{3000_0000 + k % 10**7}", "email": "rd@demo.techtransfer.cn"},
            }
            out.write(json.dumps(body, ensure_ascii=False) + "\n")
            written += 1
            if written == 40:
                break


if __name__ == "__main__":
    main()
