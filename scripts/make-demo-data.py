#!/usr/bin/env python3
"""Builds the demo achievements (src/TechTransfer.Server/Demo/achievements.jsonl) from the CSL dev data in ../shared/data.

Deterministic: the same input gives the same file. The records are real paper metadata (CSL, Apache-2.0). What is
derived from a record, mechanically:
  - which records are kept: categories 工学/理学/农学/医学, titles and abstracts that describe a technique, method,
    material, device, process or variety (not reviews, case reports, clinical observations, surveys, policy, history,
    regional descriptions, pure mathematics), best-scored first, at most PER_DISCIPLINE per discipline;
  - the province, when the title or abstract names one (or a well-known city, oil field, etc. of it);
  - the TechField, from the discipline, refined by a few title words for disciplines that span fields;
  - the title: the paper's own, with a trailing "(的)研究" dropped where what remains is a noun phrase;
  - the summary: the abstract's own sentences under 【成果简介】 and 【技术优势】 (sentences reporting results), plus
    【应用领域】 (a phrase per discipline), 【成熟度】 (from the TRL) and 【知识产权】 (the generated patent).
The structured fields a paper lacks (TRL, transfer modes, price, patent number, contact; the province when the record
names none) are assigned from a hash of the record id, and the whole set is labelled as demo data wherever it is shown.

demands.jsonl is NOT generated: it is hand-written text (see src/TechTransfer.Server/Demo/README.md).
"""
import collections, hashlib, json, os, re, sys

SHARED = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data")
OUT = os.path.join(os.path.dirname(__file__), "..", "src", "TechTransfer.Server", "Demo")
COUNT = 400
PER_DISCIPLINE = 14

# ---------------------------------------------------------------------------------------------------------------
# Fields. Agriculture has no field of its own among the eight 国家重点支持的高新技术领域: 农业生物技术 (new varieties,
# crop/livestock/aquatic breeding, pest and disease control, 农产品精深加工) belongs to 生物与新医药, so crop, horticulture,
# plant protection, animal, aquatic and food records are BioMedicine. Oil and gas exploration is 资源勘查、高效开采
# (ResourcesEnvironment), not NewEnergy; 电力系统与设备 is 先进制造与自动化, so 电气工程 is AdvancedManufacturing unless it is
# about renewables, storage or batteries. Mathematics is kept only when it is computing (ElectronicInformation).
FIELDS = {
    "ElectronicInformation": ["计算机科学与技术", "信息与通信工程", "电子科学与技术", "控制科学与工程", "光学工程", "测绘科学与技术", "数学"],
    "BioMedicine": ["基础医学/临床医学", "中医学/中药学", "药学", "口腔医学", "公共卫生与预防医学", "生物学/生物科学与工程",
                    "畜牧学/兽医学", "园艺学", "作物学", "植物保护", "水产", "食品科学与工程"],
    "Aerospace": ["航空宇航科学与技术", "兵器科学与技术", "天文学"],
    "NewMaterials": ["材料科学与工程", "化学/化学工程与技术", "纺织科学与工程", "冶金工程"],
    "HighTechServices": ["地理学", "建筑学"],
    "NewEnergy": ["动力工程及工程热物理", "核科学与技术"],
    "ResourcesEnvironment": ["环境科学与工程", "大气科学", "地质学/地质资源与地质工程", "矿业工程", "海洋科学", "水利工程",
                             "地球物理学", "农业资源利用", "林学/林业工程", "石油与天然气工程"],
    "AdvancedManufacturing": ["机械工程", "交通运输工程", "船舶与海洋工程", "土木工程", "力学", "物理学", "农业工程", "电气工程"],
}
FIELD_OF = {d: f for f, ds in FIELDS.items() for d in ds}

# Disciplines that span fields: the first rule whose pattern is in the title decides the field (and, when given, the
# 【应用领域】 phrase), else FIELD_OF and APPLICATION.
FIELD_RULES = {
    "林学/林业工程": [(r"木材|人造板|胶合|纤维板|刨花板|竹材|复合材料|斜接", "NewMaterials", "木材加工与林产品"),
                  (r"育苗|繁殖|组培|组织培养|品种|栽培|引种|扦插|丰产|病|虫", "BioMedicine", "林木育苗与良种繁育")],
    "农业工程": [(r"灌溉|节水|土壤|水土|秸秆还田|污水|废水|沼气|垃圾", "ResourcesEnvironment", "资源利用与环境治理"),
             (r"干燥|储藏|保鲜|加工", "BioMedicine", "农产品加工与贮藏")],
    "电气工程": [(r"光伏|太阳|风电|风力|储能|电池|节能|新能源|燃料|负极|正极|阳极|阴极|电极材料", "NewEnergy", "新能源发电与储能")],
    "物理学": [(r"激光|光纤|光子|半导体|电子|探测器|太赫兹", "ElectronicInformation", None), (r"薄膜|晶体|材料|纳米", "NewMaterials", None)],
    "建筑学": [(r"节能|太阳|采暖|空调|通风|热工", "NewEnergy", "建筑节能")],
    "地理学": [(r"遥感|GIS|测量|影像|拼接|模型|算法", "ElectronicInformation", None)],
    "天文学": [(r"GPS|北斗|导航|定位|钟差|卫星", "ElectronicInformation", None)],
    "交通运输工程": [(r"沥青|混合料|路面材料", "NewMaterials", None), (r"识别|视频|检测算法|信息系统", "ElectronicInformation", None)],
}
COMPUTING = re.compile(r"算法|计算机|软件|网络|编码|密码|图像|数据|神经网络|程序|数值|计算方法|优化")

# 【应用领域】: one short phrase per discipline.
APPLICATION = {
    "计算机科学与技术": "软件与信息技术服务、数据处理与智能分析", "信息与通信工程": "通信设备、信号与信息处理",
    "电子科学与技术": "电子元器件、雷达与电子系统", "控制科学与工程": "工业自动化、智能控制与检测",
    "光学工程": "光电检测、精密光学仪器", "测绘科学与技术": "测绘地理信息、卫星导航定位", "数学": "数据分析与算法软件",
    "基础医学/临床医学": "医疗诊断、医学研究与医疗器械", "中医学/中药学": "中药研发与生产、中医诊疗",
    "药学": "药物研发、药品生产与质量控制", "口腔医学": "口腔诊疗与口腔材料", "公共卫生与预防医学": "疾病预防控制、卫生检验检测",
    "生物学/生物科学与工程": "生物技术、生物制品研发", "畜牧学/兽医学": "畜禽养殖、饲料与动物疫病防治",
    "园艺学": "果蔬花卉生产、设施园艺", "作物学": "作物育种与栽培、种业", "植物保护": "农作物病虫害防治、农药",
    "水产": "水产养殖与水产品加工", "食品科学与工程": "食品加工、农产品精深加工与贮藏保鲜",
    "航空宇航科学与技术": "航空航天装备", "兵器科学与技术": "兵器装备、军民融合", "天文学": "卫星导航与空间技术",
    "材料科学与工程": "新材料研发与制造", "化学/化学工程与技术": "化工、精细化学品与分析检测",
    "纺织科学与工程": "纺织印染、功能纤维与纺织品", "冶金工程": "钢铁冶金、有色金属冶炼与加工",
    "地理学": "地理信息与遥感服务", "建筑学": "建筑设计、绿色建筑", "动力工程及工程热物理": "能源动力装备、节能减排",
    "电气工程": "电力系统与电工装备", "核科学与技术": "核能与核技术应用", "石油与天然气工程": "油气勘探开发",
    "环境科学与工程": "污染治理、环境保护", "大气科学": "气象监测与预报服务", "地质学/地质资源与地质工程": "地质勘查与矿产资源",
    "矿业工程": "矿山开采与选矿", "海洋科学": "海洋监测与海洋资源开发", "水利工程": "水利工程建设与水资源管理",
    "地球物理学": "地球物理勘探、地震监测", "农业资源利用": "土壤改良、农业资源高效利用", "林学/林业工程": "林木培育、林产品加工",
    "农业工程": "农业机械与农业工程装备", "机械工程": "机械装备制造", "交通运输工程": "交通运输、道路与轨道交通工程",
    "船舶与海洋工程": "船舶与海洋工程装备", "土木工程": "土木建筑与基础设施工程", "力学": "工程结构设计与安全评估",
    "物理学": "物理技术与精密测量",
}

# 【成熟度】 by TRL (GB/T 22900 wording, shortened).
MATURITY = {
    3: "已完成关键功能的实验室验证（技术就绪水平 3 级）",
    4: "已完成实验室环境下的原理样品/功能模块验证（技术就绪水平 4 级）",
    5: "已在模拟使用环境中完成样品验证（技术就绪水平 5 级）",
    6: "已完成中试或工程样机验证（技术就绪水平 6 级）",
    7: "已在实际使用环境中完成示范验证（技术就绪水平 7 级）",
    8: "已完成产品定型与小批量试生产（技术就绪水平 8 级）",
    9: "已实现规模化应用（技术就绪水平 9 级）",
}
TRLS = [3, 4, 4, 5, 5, 5, 6, 6, 7, 8]  # university results: mostly laboratory to pilot scale

# ---------------------------------------------------------------------------------------------------------------
# Selection.
EXCLUDE_TITLE = re.compile(
    r"综述|进展|述评|书评|评介|概述|概况|展望|回顾|现状|发展|历史|历程|史话|序言|前言|1例|例报告|报告|病例|个案|探析|浅析|浅谈|"
    r"刍议|初探|思考|启示|对策|建议|管理|政策|教学|教育|课程|人才|培养模式|调查|问卷|满意度|护理|流行病学|现患率|发病率|患病率|"
    r"危险因素|可接受性|文化|美学|艺术|景观|前景|趋势|策略|经验|体会|认识|Meta|meta|系统评价|荟萃|临床|疗效|规划|城市|乡村|"
    r"村落|民居|时空|变化特征|分布特征|气候特征|演变|演化|措施|问题|意义|必要性|可行性|探讨|讨论|比较研究|评述|介绍|简介|漫谈|"
    r"小议|解读|之路|如何|靶点|相关性|个体发生|病理|形态学|群落|区系|多样性|资源调查|地区差异|成矿|成藏|古环境|古气候|孢粉|"
    r"烃源岩|含油气系统|群体遗传|遗传结构|序列变异|系统发育|思路|思维|园林|区划|功能分区|分布研究|地理扩散|产区|系统树|生理指标")
EXCLUDE_ABSTRACT = re.compile(
    r"综述了|本文综述|回顾了|概述了|研究进展|发展历程|发展趋势|发展方向|展望|进行了综述|作一综述|做一综述|文献|"
    r"患者|患儿|病例|随机分为|临床资料|分析与探讨|浅谈|浅析|介绍了[^。.]{0,40}(?:原理|机理)")
TECH_TITLE = re.compile(
    r"制备|合成|设计|研制|开发|系统|装置|设备|工艺|方法|算法|优化|改进|新型|检测|测定|提取|选育|栽培|养殖|繁殖|育苗|培育|技术|"
    r"控制|传感器|仪|机器人|涂层|薄膜|复合材料|催化|改性|处理|修复|识别|估计|定位|监测|诊断|疫苗|制剂|配方|加工|发酵|保鲜|品种|"
    r"实现|构建|建立|仿真|预测|纯化|分离|纳米|电路|芯片|器件|天线|滤波|编码|调制|平台|软件|防治|防控|快繁|组培|组织培养|节能|"
    r"减排|回收|降解|吸附|去除|净化|脱硫|脱氮|固化|焊接|加固|注浆|支护|冶炼|浸出|浮选|选矿|热处理|钻井|压裂|采油|成像|转染")
STRONG_TITLE = re.compile(r"制备|合成|研制|设计|开发|工艺|装置|设备|系统|方法|算法|技术|新型|选育|检测|测定|提取|传感器|改性|催化")
WEAK_TITLE = re.compile(r"分析|影响|特性|机理|机制|特征|关系|比较|效应|规律|响应|试验研究|初步|观察")
MADE = re.compile(r"提出了?一种|研制了|研制出|设计了|开发了|制备了|制得|建立了|构建了|实现了|合成了|优化了|选育|获得了")
ADVANTAGE = re.compile(
    r"提高|降低|优于|结果表明|表明|可达|达到|显著|减少|缩短|改善|准确率|精度|效率|稳定性|降至|提升|节约|节省|延长|"
    r"回收率|收率|产率|灵敏|检出限|误差|[0-9]%|高于|低于|优良|良好|有效|满足")


def h(text, salt=""):
    return int(hashlib.sha256((salt + text).encode()).hexdigest(), 16)


def clean(text):
    text = re.sub(r"<[^>]+>", "", text).replace("\u3000", "").replace("\u00a0", " ")
    text = re.sub(r"^\s*1\s*(引言|前言)", "", text)
    text = re.sub(r"\[\d+(?:[-–,，]\d+)*\]", "", text)  # reference marks [1], [2-5]
    text = re.sub(r"\s+", " ", text).strip()
    # ASCII punctuation next to Chinese becomes full-width (CSL keeps both styles); numbers and Latin text keep theirs.
    cjk = r"[\u4e00-\u9fff）)】”%]"
    text = re.sub(rf"(?<={cjk})\s*,\s*|\s*,\s*(?=[\u4e00-\u9fff])", "，", text)
    text = re.sub(rf"(?<={cjk})\s*;\s*|\s*;\s*(?=[\u4e00-\u9fff])", "；", text)
    text = re.sub(rf"(?<={cjk})\s*:\s*|\s*:\s*(?=[\u4e00-\u9fff])", "：", text)
    text = re.sub(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])", "", text)
    return text


# "本文提出了…" reads as a paper; the listing keeps the sentence without its subject ("提出了…").
PAPER_SUBJECT = re.compile(r"^(?:本文|该文|文章|文中|论文)(?=[提研设采介分建构给针通利以对从基将根首在])")
LABEL = re.compile(r"^(?:目的|背景|意义)\s*[:：]?\s*|^(?:方法|结果|结论)\s*(?:[:：]\s*|\s+)")


def sentences(abstract):
    text = clean(abstract)
    # Sentence ends: 。！？ always; "." "!" "?" before Chinese text ("0.04 g.在此条件下", not "T.f.菌"), after Chinese text unless Latin
    # text or a number follows (3.5, e.g., a.i. do not end), or before a year or a capital ("抗黑穗病.2010年通过审定",
    # "是必需的.CNS炎症过程中").
    parts = re.split(r"(?<=[。！？])|(?<![A-Za-z]\.[A-Za-z]\.)(?<=[.!?])(?=[\u4e00-\u9fff])|(?<=[^0-9A-Za-z.][.!?])(?![0-9A-Za-z])"
                     r"|(?<=[\u4e00-\u9fff][.!?])(?=[12][0-9]{3}|[A-Z])", text)
    structured = re.match(r"\s*(?:目的|【目的】)", abstract) is not None
    out = []
    for p in parts:
        p = p.strip()
        p = LABEL.sub("", p).strip()
        if structured:  # "目的…。方法将200例…。结果…。结论…": section labels without a separator
            p = re.sub(r"^(?:方法|结果|结论)(?!表明|显示|证明|发现|说明|提示)", "", p)
        p = PAPER_SUBJECT.sub("", p)
        p = re.sub(r"[.!?]$", "。", p)
        if len(p) < 6:
            continue
        if not p.endswith(("。", "！", "？")):
            p += "。"
        out.append(p)
    return out


def technical(r):
    if r["category"] not in ("工学", "理学", "农学", "医学") or r["discipline"] not in FIELD_OF:
        return False
    if not 2 <= len(r["keywords"]) <= 8:
        return False
    t, a = r["title"], r["abstract"]
    if EXCLUDE_TITLE.search(t) or EXCLUDE_ABSTRACT.search(a) or not TECH_TITLE.search(t):
        return False
    if r["discipline"] == "数学" and not COMPUTING.search(t):
        return False
    ss = sentences(a)
    # Something was made or measured: a result sentence after the opening one, or a "研制了/提出了一种…" statement.
    return len(ss) >= 2 and (any(ADVANTAGE.search(x) for x in ss[1:]) or MADE.search(a) is not None)


def score(r):
    t, a = r["title"], r["abstract"]
    s = 2 * min(2, len(STRONG_TITLE.findall(t))) - (1 if WEAK_TITLE.search(t) else 0)
    s += 2 if any(ADVANTAGE.search(x) for x in sentences(a)[1:]) else 0
    s += 1 if MADE.search(a) else 0
    return s


# ---------------------------------------------------------------------------------------------------------------
# Provinces: a name in the title (first one), else the name the abstract mentions most (first on a tie). Names are
# read left to right, longest first, so "浙江西部" is 浙江 and "黄河南岸" is nobody's; BLOCK lists words that contain a
# place name but are not one (长春花, 大理石, 北京时间…).
PLACES = {
    "北京": "北京", "天津": "天津", "上海": "上海", "重庆": "重庆",
    "河北": "河北 石家庄 唐山 保定 邯郸 秦皇岛 张家口 承德 沧州 廊坊 衡水 邢台 雄安 华北油田",
    "山西": "山西 太原 运城 晋城 阳泉 临汾 吕梁 忻州 朔州 晋中",
    "内蒙古": "内蒙古 呼和浩特 包头 赤峰 呼伦贝尔 通辽 锡林郭勒",
    "辽宁": "辽宁 沈阳 大连 鞍山 抚顺 本溪 丹东 锦州 营口 阜新 辽阳 盘锦 铁岭 葫芦岛 辽河油田 弓长岭",
    "吉林": "吉林 长春 四平 延边 通化 松原 白城 长白山",
    "黑龙江": "黑龙江 哈尔滨 齐齐哈尔 大庆 牡丹江 佳木斯 鸡西 鹤岗 双鸭山 伊春 绥化",
    "江苏": "江苏 南京 苏州 无锡 常州 徐州 南通 扬州 镇江 盐城 淮安 连云港 泰州 宿迁 太仓 昆山 江阴 靖江",
    "浙江": "浙江 杭州 宁波 温州 嘉兴 湖州 绍兴 金华 衢州 舟山 台州 丽水 千岛湖 秦山核电",
    "安徽": "安徽 合肥 芜湖 蚌埠 淮南 马鞍山 淮北 铜陵 安庆 黄山 阜阳 六安 亳州 宣城 池州 滁州 巢湖",
    "福建": "福建 福州 厦门 泉州 漳州 莆田 龙岩 宁德 南平 平潭 武夷山",
    "江西": "江西 南昌 九江 赣州 景德镇 萍乡 上饶 吉安 宜春 抚州 鹰潭 新余 鄱阳湖",
    "山东": "山东 济南 青岛 烟台 威海 潍坊 淄博 东营 济宁 泰安 临沂 聊城 滨州 菏泽 枣庄 胜利油田 桑沟湾",
    "河南": "河南 郑州 洛阳 新乡 焦作 南阳 安阳 商丘 信阳 许昌 周口 驻马店 平顶山 汝阳",
    "湖北": "湖北 武汉 宜昌 襄阳 荆州 黄石 十堰 孝感 恩施",
    "湖南": "湖南 长沙 株洲 湘潭 衡阳 岳阳 常德 张家界 郴州 怀化 益阳 洞庭湖",
    "广东": "广东 广州 深圳 珠海 汕头 佛山 东莞 湛江 茂名 惠州 江门 肇庆 梅州 韶关 清远 潮州 揭阳 阳江 大亚湾",
    "广西": "广西 南宁 桂林 柳州 梧州 玉林 百色 钦州 防城港",
    "海南": "海南 海口 三亚 儋州",
    "四川": "四川 成都 绵阳 德阳 自贡 攀枝花 泸州 宜宾 南充 乐山 达州 雅安 凉山 阿坝",
    "贵州": "贵州 贵阳 遵义 六盘水 安顺 毕节 铜仁 黔南 黔东南",
    "云南": "云南 昆明 大理 丽江 玉溪 曲靖 西双版纳 普洱 保山 楚雄",
    "西藏": "西藏 拉萨 日喀则 林芝",
    "陕西": "陕西 西安 宝鸡 咸阳 延安 榆林 汉中 渭南 商洛 铜川 长庆油田",
    "甘肃": "甘肃 兰州 天水 酒泉 张掖 武威 敦煌 定西 庆阳 陇南 河西走廊",
    "青海": "青海 西宁 格尔木 柴达木",
    "宁夏": "宁夏 银川 石嘴山 固原 吴忠",
    "新疆": "新疆 乌鲁木齐 克拉玛依 喀什 吐鲁番 伊犁 阿克苏 库尔勒 石河子 塔里木 准噶尔 昌吉 塔河油田",
}
BLOCK = ("黄河 淮河 运河 江河 海河 长江 珠江 太湖 东海 南海 渤海 黄海 北京时间 长春花 长春碱 长春新碱 "
         "大理石 北海道 三明治 入海口 哈密瓜 广州管圆线虫 北京鸭 台湾 香港 澳门").split()
NAMES = sorted([(n, p) for p, ns in PLACES.items() for n in ns.split()] + [(b, None) for b in BLOCK],
               key=lambda x: -len(x[0]))


def places(text):
    found, i = [], 0
    while i < len(text):
        for name, province in NAMES:
            if text.startswith(name, i):
                if province:
                    found.append(province)
                i += len(name)
                break
        else:
            i += 1
    return found


def province_of(r):
    in_title = places(r["title"])
    if in_title:
        return in_title[0]
    in_abstract = places(r["abstract"])
    if in_abstract:
        counts = collections.Counter(in_abstract)
        best = max(counts.values())
        return next(p for p in in_abstract if counts[p] == best)
    return None


# Demo universities of the hashed fallback: the original ten, so a record that names no place stays where it was.
HASHED_PROVINCES = ["江苏", "北京", "上海", "湖北", "四川", "陕西", "辽宁", "广东", "浙江", "山东"]
AREA_CODE = {
    "北京": "010", "天津": "022", "河北": "0311", "山西": "0351", "内蒙古": "0471", "辽宁": "024", "吉林": "0431",
    "黑龙江": "0451", "上海": "021", "江苏": "025", "浙江": "0571", "安徽": "0551", "福建": "0591", "江西": "0791",
    "山东": "0531", "河南": "0371", "湖北": "027", "湖南": "0731", "广东": "020", "广西": "0771", "海南": "0898",
    "重庆": "023", "四川": "028", "贵州": "0851", "云南": "0871", "西藏": "0891", "陕西": "029", "甘肃": "0931",
    "青海": "0971", "宁夏": "0951", "新疆": "0991",
}

# ---------------------------------------------------------------------------------------------------------------
# Title and summary.
TITLE_TAIL = re.compile(r"(?:的)?研究$")
NOUN_END = re.compile(r"(方法|技术|工艺|系统|装置|设备|设计|算法|模型|应用|制备|合成|材料|性能|优化|控制|检测|测定|仿真|开发|研制|"
                      r"策略|传感器|机构|结构|处理|提取|分离|纯化|改性|工程|模拟|评价|预测|识别|估计|定位|监测|诊断|法)$")


def title_of(r):
    title = re.sub(r"[?？的]+$", "", clean(r["title"]))  # stray "?" and a dangling 的 (CSL cut "…的研究" short)
    trimmed = TITLE_TAIL.sub("", title)
    return trimmed if trimmed != title and NOUN_END.search(trimmed) and len(trimmed) >= 6 else title


def clip(items, limit):
    out, total = [], 0
    for s in items:
        if out and total + len(s) > limit:
            break
        out.append(s)
        total += len(s)
    return out


DOES = re.compile(r"提出|设计|研制|开发|制备|建立|构建|采用|利用|以.{1,30}为|研究了|实现|合成|选育|优化|针对|通过")


def summary_of(r, field_phrase, trl, right):
    ss = sentences(r["abstract"])
    # 【成果简介】: the opening sentence, and (when the opening is background) the first sentences saying what was done.
    intro = [0]
    for i, s in enumerate(ss[1:], 1):
        if len(intro) >= 3 or sum(len(ss[j]) for j in intro) >= 160 or ADVANTAGE.search(s) and len(intro) > 1:
            break
        if DOES.search(s) and not ADVANTAGE.search(s) or not DOES.search(ss[0]) and i == 1 and not ADVANTAGE.search(s):
            intro.append(i)
    advantages = clip([s for i, s in enumerate(ss) if i not in intro and ADVANTAGE.search(s)], 260)
    kind, number = right
    parts = ["【成果简介】" + "".join(clip([ss[i] for i in intro], 280))]
    if advantages:
        parts.append("【技术优势】" + "".join(advantages))
    parts.append("【应用领域】" + field_phrase + "。")
    parts.append("【成熟度】" + MATURITY[trl] + "。")
    parts.append(f"【知识产权】已获植物新品种权 1 项（品种权号 {number}）。" if kind == "PlantVariety"
                 else f"【知识产权】已获授权发明专利 1 项（专利号 {number}）。")
    return "\n".join(parts)


def field_of(r):
    """(TechField, 【应用领域】 phrase) of a record."""
    for pattern, field, application in FIELD_RULES.get(r["discipline"], []):
        if re.search(pattern, r["title"]):
            return field, application or APPLICATION[r["discipline"]]
    return FIELD_OF[r["discipline"]], APPLICATION[r["discipline"]]


VARIETY = re.compile(r"新品种.*选育|品种.*选育|选育.*品种")
MODES = ["License", "Assignment", "JointImplementation", "EquityInvestment"]


def main():
    rows = [json.loads(l) for l in open(os.path.join(SHARED, "achievements-dev.jsonl"), encoding="utf-8")]
    rows = [r for r in rows if technical(r)]
    rows.sort(key=lambda r: (-score(r), h(r["id"], "pick")))
    taken, per = [], collections.Counter()
    for r in rows:
        if per[r["discipline"]] < PER_DISCIPLINE:
            taken.append(r)
            per[r["discipline"]] += 1
        if len(taken) == COUNT:
            break
    taken.sort(key=lambda r: r["id"])
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "achievements.jsonl"), "w", encoding="utf-8") as out:
        for r in taken:
            k = h(r["id"])
            province = province_of(r) or HASHED_PROVINCES[(k // 1000) % len(HASHED_PROVINCES)]
            variety = VARIETY.search(r["title"]) is not None
            # A bred variety that the record says was registered or grown out is past the laboratory.
            trl = TRLS[(k // 16) % len(TRLS)] if not variety else 7 + (k // 16) % 3
            right = (("PlantVariety", f"CNA20{(k // 7) % 10 + 10}{k % 10**4:04d}.{k % 10}") if variety
                     else ("InventionPatent", f"ZL20{(k // 7) % 10 + 15}1{k % 10**7:07d}.{k % 10}"))
            field, application = field_of(r)
            body = {
                "externalId": r["id"],
                "title": title_of(r),
                "summary": summary_of(r, application, trl, right),
                "keywords": [clean(w) for w in r["keywords"]],
                "techField": field,
                "trl": trl,
                "transferModes": sorted({MODES[k % 4], MODES[(k // 4) % 4]}),
                "askingPrice": [None, 30, 50, 80, 120, 200, 300, 500][(k // 112) % 8],
                "province": province,
                "ipRights": [{"kind": right[0], "number": right[1]}],
                "contact": {"name": "成果转化办公室", "phone": f"{AREA_CODE[province]}-{8000_0000 + k % 10**7}",
                            "email": "tto@demo.techtransfer.cn"},
            }
            out.write(json.dumps(body, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
